import { configFromVars, emulatorConfig } from "./support/config";

import { describe, expect, it, vi } from "vitest";

import { ProviderError } from "@/server/providers/http-client";
import { createPixazoProvider } from "@/server/providers/pixazo";

import {
  NO_WAIT_RETRY,
  rejectionOf,
  startCallbackServer,
  untilTerminal,
  useEmulatorWithImages,
} from "./support/emulator";
import { fakeFetch, type Reply } from "./support/fake-fetch";

// The contract: /work/shared/provider-docs/pixazo-reve-edit-remix.txt

const servers = useEmulatorWithImages();

function provider(vars: Record<string, string> = {}, timeoutMs?: number) {
  const config = emulatorConfig(servers.emu.port, vars).pixazo;
  return createPixazoProvider(timeoutMs ? { ...config, timeoutMs } : config, { retry: NO_WAIT_RETRY });
}

const pixazoRequests = () => servers.emu.requests().filter((r) => r.provider === "pixazo");

describe("Pixazo against the emulator", () => {
  it("sends an edit exactly as documented and follows it to the result", async () => {
    const pixazo = provider();
    const image = `${servers.images.url}/a.png`;
    const submitted = await pixazo.submit("edit", { prompt: "Add a red hat", imageUrls: [image] });
    expect(submitted).toEqual({ state: "queued", providerJobId: expect.stringMatching(/^reve-image_/) });

    const [request] = pixazoRequests();
    expect(request).toMatchObject({ method: "POST", path: "/reve-image/v1/image-edit", status: 202 });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "cache-control": "no-cache",
      "ocp-apim-subscription-key": "emu-pixazo-key",
    });
    expect(request?.headers).not.toHaveProperty("x-webhook-url");
    expect(request?.headers).not.toHaveProperty("x-webhook-mode");
    expect(request?.body).toEqual({ image, prompt: "Add a red hat" });

    const done = await untilTerminal(pixazo, submitted);
    expect(done).toEqual({
      state: "succeeded",
      providerJobId: submitted.providerJobId,
      outputs: [{ url: expect.stringContaining(`${servers.emu.url}/files/`), mediaType: "image/png" }],
    });
    const statusRead = pixazoRequests().find((r) => r.method === "GET");
    expect(statusRead).toMatchObject({ path: `/v2/requests/status/${submitted.providerJobId}`, status: 200 });
    expect(statusRead?.headers["ocp-apim-subscription-key"]).toBe("emu-pixazo-key");
  });

  it("sends the configured edit version", async () => {
    await provider({ PIXAZO_EDIT_VERSION: "reve-edit@20250915" }).submit("edit", {
      prompt: "p",
      imageUrls: [`${servers.images.url}/a.png`],
    });
    expect(pixazoRequests()[0]?.body).toEqual({
      image: `${servers.images.url}/a.png`,
      prompt: "p",
      version: "reve-edit@20250915",
    });
  });

  it("sends a remix with references, ratio, version and an https webhook as documented", async () => {
    const pixazo = provider({ PIXAZO_REMIX_VERSION: "reve-remix@20250915", PIXAZO_WEBHOOK_MODE: "sync" });
    const refs = [`${servers.images.url}/a.png`, `${servers.images.url}/b.png`];
    const callbackUrl = "https://studio.example/api/webhooks/pixazo?token=t";
    const submitted = await pixazo.submit(
      "remix",
      { prompt: "Mix", imageUrls: refs, aspectRatio: "16:9" },
      { callbackUrl },
    );
    expect(submitted.state).toBe("queued");
    const [request] = pixazoRequests();
    expect(request).toMatchObject({ method: "POST", path: "/reve-image/v1/image-edit-remix", status: 202 });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "cache-control": "no-cache",
      "ocp-apim-subscription-key": "emu-pixazo-key",
      "x-webhook-url": callbackUrl,
      "x-webhook-mode": "sync",
    });
    expect(request?.body).toEqual({
      prompt: "Mix",
      reference_images: refs,
      aspect_ratio: "16:9",
      version: "reve-remix@20250915",
      webhook: callbackUrl,
      webhook_events_filter: ["completed"],
    });
    const done = await untilTerminal(pixazo, submitted);
    expect(done.state).toBe("succeeded");
  });

  it("parses the callback the gateway delivers", async () => {
    const callbacks = await startCallbackServer();
    servers.emu.configure({ webhookHttpsToHttp: true });
    try {
      const pixazo = provider();
      const callbackUrl = `https://127.0.0.1:${callbacks.port}/api/webhooks/pixazo`;
      const submitted = await pixazo.submit(
        "edit",
        { prompt: "hook", imageUrls: [`${servers.images.url}/a.png`] },
        { callbackUrl },
      );
      const [delivered] = await callbacks.waitFor(1);
      const parsed = pixazo.parseCallback?.(delivered?.rawBody ?? "", delivered?.headers ?? new Headers());
      expect(parsed).toEqual(await pixazo.getStatus(submitted.providerJobId));
      expect(parsed?.state).toBe("succeeded");
    } finally {
      servers.emu.configure({ webhookHttpsToHttp: false });
      await callbacks.close();
    }
  });

  it("asks for no webhook when the callback is plain http", async () => {
    const submitted = await provider().submit(
      "remix",
      { prompt: "Mix", imageUrls: [`${servers.images.url}/a.png`] },
      { callbackUrl: "http://localhost:3000/api/webhooks/pixazo" },
    );
    expect(submitted.state).toBe("queued");
    const [request] = pixazoRequests();
    expect(request?.headers).not.toHaveProperty("x-webhook-url");
    expect(request?.body).toEqual({ prompt: "Mix", reference_images: [`${servers.images.url}/a.png`] });
  });

  it("returns every output URL", async () => {
    const pixazo = provider();
    const done = await untilTerminal(
      pixazo,
      await pixazo.submit("edit", { prompt: "two [emu:multi]", imageUrls: [`${servers.images.url}/a.png`] }),
    );
    expect(done.state === "succeeded" && done.outputs.length).toBe(2);
  });

  it.each([
    ["[emu:400]", { code: "invalid_input", retryable: false, httpStatus: 400 }],
    ["[emu:401]", { code: "provider_auth", retryable: false, httpStatus: 401 }],
    [
      "[emu:402]",
      { code: "provider_quota", retryable: false, httpStatus: 402, upstreamCode: "Insufficient Balance" },
    ],
    ["[emu:403]", { code: "provider_auth", retryable: false, httpStatus: 403 }],
    ["[emu:429]", { code: "rate_limited", retryable: true, httpStatus: 429 }],
    ["[emu:500]", { code: "provider_error", retryable: true, httpStatus: 500, ambiguous: true }],
  ])("maps a submit answered %s", async (marker, expected) => {
    const error = await rejectionOf(
      provider().submit("edit", { prompt: `x ${marker}`, imageUrls: [`${servers.images.url}/a.png`] }),
    );
    expect(error).toBeInstanceOf(ProviderError);
    // A 5xx may come from a gateway after the reseller took the job: ambiguous, never failed over.
    expect(error).toMatchObject({ ambiguous: false, ...expected, accepted: false, kind: "http" });
  });

  it("maps a wrong key to provider_auth", async () => {
    const pixazo = provider({ PIXAZO_API_KEY: "not-the-key" });
    const error = await rejectionOf(
      pixazo.submit("edit", { prompt: "x", imageUrls: [`${servers.images.url}/a.png`] }),
    );
    expect(error).toMatchObject({ code: "provider_auth", httpStatus: 401 });
  });

  it.each([
    ["[emu:fail]", { code: "provider_error", retryable: false }],
    ["[emu:error]", { code: "provider_error", retryable: true }],
    ["[emu:policy]", { code: "content_policy", retryable: false }],
  ])("reads a job that ends %s", async (marker, expected) => {
    const pixazo = provider();
    const done = await untilTerminal(
      pixazo,
      await pixazo.submit("edit", { prompt: `x ${marker}`, imageUrls: [`${servers.images.url}/a.png`] }),
    );
    expect(done).toMatchObject({ state: "failed", failure: expected });
  });

  it("fails the job when the input image cannot be fetched", async () => {
    const pixazo = provider();
    const done = await untilTerminal(
      pixazo,
      await pixazo.submit("edit", { prompt: "x", imageUrls: [`${servers.images.url}/missing`] }),
    );
    expect(done).toMatchObject({ state: "failed", failure: { code: "provider_error" } });
  });

  it("reads an unreadable submit answer as an ambiguous provider_error", async () => {
    const error = await rejectionOf(
      provider().submit("edit", { prompt: "x [emu:malformed]", imageUrls: [`${servers.images.url}/a.png`] }),
    );
    expect(error).toMatchObject({ code: "provider_error", kind: "malformed", ambiguous: true });
  });

  it("reads an unreadable status answer as provider_error", async () => {
    const pixazo = provider();
    const submitted = await pixazo.submit("edit", {
      prompt: "x [emu:malformed-status]",
      imageUrls: [`${servers.images.url}/a.png`],
    });
    expect(await rejectionOf(pixazo.getStatus(submitted.providerJobId))).toMatchObject({
      code: "provider_error",
      kind: "malformed",
    });
  });

  it("gives up on a submit that never answers, flagging it ambiguous", async () => {
    const error = await rejectionOf(
      provider({}, 300).submit("edit", {
        prompt: "x [emu:timeout]",
        imageUrls: [`${servers.images.url}/a.png`],
      }),
    );
    expect(error).toMatchObject({ code: "timeout", retryable: true, ambiguous: true });
    // The emulator logs the exchange once the client has left.
    await vi.waitFor(() => expect(pixazoRequests().filter((r) => r.method === "POST")).toHaveLength(1));
  });

  it("refuses what the gateway does not offer before sending anything", async () => {
    const pixazo = provider();
    const refused = [
      () => pixazo.submit("create", { prompt: "x" }),
      () =>
        pixazo.submit("edit", {
          prompt: "x",
          imageUrls: [`${servers.images.url}/a.png`],
          aspectRatio: "1:1",
        }),
      () => pixazo.submit("edit", { prompt: "x", imageUrls: [`${servers.images.url}/a.png`], seed: 3 }),
      () => pixazo.submit("edit", { prompt: " ", imageUrls: [`${servers.images.url}/a.png`] }),
      () => pixazo.submit("remix", { prompt: "x", imageUrls: [] }),
      () => pixazo.submit("remix", { prompt: "x", imageUrls: Array(5).fill(`${servers.images.url}/a.png`) }),
      () =>
        pixazo.submit("remix", {
          prompt: "x",
          imageUrls: [`${servers.images.url}/a.png`],
          negativePrompt: "blur",
        }),
    ];
    for (const attempt of refused) {
      expect(await rejectionOf(attempt())).toMatchObject({ code: "invalid_input", kind: "input" });
    }
    expect(pixazoRequests()).toHaveLength(0);
  });
});

// Bodies copied from the document, for what the emulator does not produce.
const DOC_ID = "reve-image_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
const DOC_QUEUED = {
  request_id: DOC_ID,
  status: "QUEUED",
  polling_url: `https://gateway.pixazo.ai/v2/requests/status/${DOC_ID}`,
};
const DOC_COMPLETED = {
  request_id: DOC_ID,
  status: "COMPLETED",
  model_id: "reve-image-generation",
  error: null,
  output: {
    media_url: ["https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/reve-image_019dxxxx-xxxx/output.ext"],
    media_type: "application/octet-stream",
  },
  created_at: "2026-03-31T10:00:00.000Z",
  updated_at: "2026-03-31T10:00:15.000Z",
  completed_at: "2026-03-31T10:00:15.000Z",
};
const DOC_CALLBACK = `{
  "request_id": "reve-image_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  "status": "COMPLETED",
  "model_id": "reve-image-generation",
  "error": null,
  "output": {
    "media_url": [
      "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/reve-image_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/output.png"
    ],
    "media_type": "image/png"
  },
  "created_at": "2026-05-22T13:17:32.110Z",
  "updated_at": "2026-05-22 13:19:23",
  "completed_at": "2026-05-22 13:19:23"
}`;
const DOC_FAILURE_CALLBACK = `{
  "request_id": "reve-image_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  "status": "ERROR",
  "model_id": "reve-image-generation",
  "error": "Description of the error",
  "output": null,
  "created_at": "...",
  "updated_at": "...",
  "completed_at": "..."
}`;
const DOC_402 = { error: "Insufficient Balance", message: "Your wallet does not have enough balance." };
const DOC_400 = {
  error: "Model not found",
  message: "Model 'reve-image-generation' not found or is disabled",
};

function docProvider(replies: Reply[]) {
  const fake = fakeFetch(replies);
  // A real deployment: the gateway fetches inputs from a public https studio.
  const config = configFromVars({
    PIXAZO_API_KEY: "YOUR_SUBSCRIPTION_KEY",
    APP_URL: "https://studio.example.com",
  }).pixazo;
  return {
    pixazo: createPixazoProvider(config, { fetch: fake.fetch, retry: NO_WAIT_RETRY }),
    calls: fake.calls,
  };
}

describe("Pixazo on the document's own bodies", () => {
  it("sends the documented edit request to the documented URL", async () => {
    const { pixazo, calls } = docProvider([{ status: 202, json: DOC_QUEUED }]);
    const prompt = 'Add "HELLO WORLD" text in the middle of this image in a modern font, white text';
    await expect(
      pixazo.submit("edit", { prompt, imageUrls: ["https://example.com/photo.jpg"] }),
    ).resolves.toEqual({ state: "queued", providerJobId: DOC_ID });
    expect(calls).toEqual([
      {
        url: "https://gateway.pixazo.ai/reve-image/v1/image-edit",
        method: "POST",
        headers: {
          "content-type": "application/json",
          "cache-control": "no-cache",
          "ocp-apim-subscription-key": "YOUR_SUBSCRIPTION_KEY",
        },
        body: { image: "https://example.com/photo.jpg", prompt },
      },
    ]);
  });

  it("reads the documented completed status from the documented URL", async () => {
    const { pixazo, calls } = docProvider([{ status: 200, json: DOC_COMPLETED }]);
    await expect(pixazo.getStatus(DOC_ID)).resolves.toEqual({
      state: "succeeded",
      providerJobId: DOC_ID,
      outputs: [{ url: DOC_COMPLETED.output.media_url[0], mediaType: "application/octet-stream" }],
    });
    expect(calls[0]).toEqual({
      url: `https://gateway.pixazo.ai/v2/requests/status/${DOC_ID}`,
      method: "GET",
      headers: { "ocp-apim-subscription-key": "YOUR_SUBSCRIPTION_KEY" },
      body: undefined,
    });
  });

  it.each([
    ["QUEUED", { state: "queued" }],
    ["PROCESSING", { state: "processing" }],
    ["FAILED", { state: "failed", failure: { code: "provider_error", retryable: false } }],
    ["ERROR", { state: "failed", failure: { code: "provider_error", retryable: true } }],
  ])("reads the status %s", async (status, expected) => {
    const body = { request_id: DOC_ID, status, model_id: "reve-image-generation", error: null, output: null };
    const { pixazo } = docProvider([{ status: 200, json: body }]);
    await expect(pixazo.getStatus(DOC_ID)).resolves.toMatchObject({ providerJobId: DOC_ID, ...expected });
  });

  it("says a system ERROR was not charged, without the upstream text", async () => {
    const { pixazo } = docProvider([{ status: 200, json: JSON.parse(DOC_FAILURE_CALLBACK) }]);
    const status = await pixazo.getStatus(DOC_ID);
    expect(status.state === "failed" && status.failure.message).toBe(
      "The provider had a system error; this job was not charged.",
    );
    expect(JSON.stringify(status)).not.toContain("Description of the error");
  });

  it.each([
    [402, DOC_402, { code: "provider_quota", upstreamCode: "Insufficient Balance" }],
    [400, DOC_400, { code: "invalid_input", upstreamCode: "Model not found" }],
    [401, { error: "Unauthorized", message: "Access denied" }, { code: "provider_auth" }],
    [403, { error: "Forbidden", message: "Forbidden" }, { code: "provider_auth" }],
    [429, { error: "Too Many Requests", message: "Slow down" }, { code: "rate_limited", retryable: true }],
    [500, { error: "Internal Server Error", message: "Oops" }, { code: "provider_error", retryable: true }],
  ])("maps the documented %i answer", async (status, body, expected) => {
    const { pixazo } = docProvider([{ status, json: body }]);
    const error = await rejectionOf(
      pixazo.submit("remix", { prompt: "p", imageUrls: ["https://example.com/a.jpg"] }),
    );
    expect(error).toMatchObject({ ...expected, httpStatus: status, accepted: false });
    expect(JSON.stringify(error)).not.toContain(body.message);
  });

  it("parses the documented callbacks", () => {
    const { pixazo } = docProvider([]);
    expect(pixazo.parseCallback?.(DOC_CALLBACK, new Headers({ "content-type": "application/json" }))).toEqual(
      {
        state: "succeeded",
        providerJobId: DOC_ID,
        outputs: [
          {
            url: `https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/${DOC_ID}/output.png`,
            mediaType: "image/png",
          },
        ],
      },
    );
    expect(pixazo.parseCallback?.(DOC_FAILURE_CALLBACK, new Headers())).toMatchObject({
      state: "failed",
      providerJobId: DOC_ID,
      failure: { code: "provider_error", retryable: true },
    });
  });

  it("refuses a callback with no id or no state, and waits on an unknown state", () => {
    const { pixazo } = docProvider([]);
    for (const body of ["not json", "{}", '{"status":"COMPLETED"}', '{"request_id":"x"}']) {
      expect(() => pixazo.parseCallback?.(body, new Headers())).toThrow(ProviderError);
    }
    expect(pixazo.parseCallback?.('{"request_id":"x","status":"DONE"}', new Headers())).toEqual({
      state: "processing",
      providerJobId: "x",
    });
  });
});
