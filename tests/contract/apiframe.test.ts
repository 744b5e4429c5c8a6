import { configFromVars, emulatorConfig } from "./support/config";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createApiframeProvider } from "@/server/providers/apiframe";
import { ProviderError } from "@/server/providers/http-client";

import {
  NO_WAIT_RETRY,
  rejectionOf,
  startCallbackServer,
  startTestEmulator,
  untilTerminal,
  type Emulator,
} from "./support/emulator";
import { fakeFetch, type Reply } from "./support/fake-fetch";

// The contract: /work/shared/provider-docs/apiframe-reve-create.txt

let emu: Emulator;
let callbacks: Awaited<ReturnType<typeof startCallbackServer>>;

beforeAll(async () => {
  [emu, callbacks] = await Promise.all([startTestEmulator(), startCallbackServer()]);
});
afterAll(async () => {
  await Promise.all([emu.close(), callbacks.close()]);
});
beforeEach(() => emu.clearRequests());

function provider(vars: Record<string, string> = {}, timeoutMs?: number) {
  const config = emulatorConfig(emu.port, vars).apiframe;
  return createApiframeProvider(timeoutMs ? { ...config, timeoutMs } : config, { retry: NO_WAIT_RETRY });
}

const apiframeRequests = () => emu.requests().filter((r) => r.provider === "apiframe");

describe("Apiframe against the emulator", () => {
  it("sends a create with seed and webhook exactly as documented, and follows it to the result", async () => {
    const apiframe = provider();
    const callbackUrl = `${callbacks.url}/api/webhooks/apiframe?token=t`;
    const submitted = await apiframe.submit("create", { prompt: "A red fox", seed: 7 }, { callbackUrl });
    expect(submitted).toEqual({ state: "queued", providerJobId: expect.any(String) });

    const [request] = apiframeRequests();
    expect(request).toMatchObject({ method: "POST", path: "/v2/images/generate", status: 202 });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "x-api-key": "emu-apiframe-key",
    });
    expect(request?.body).toEqual({
      prompt: "A red fox",
      model: "reve-create",
      reveParams: { seed: 7 },
      webhook_url: callbackUrl,
    });

    const done = await untilTerminal(apiframe, submitted);
    expect(done).toEqual({
      state: "succeeded",
      providerJobId: submitted.providerJobId,
      outputs: [{ url: expect.stringContaining(`${emu.url}/files/`) }],
    });
    const read = apiframeRequests().find((r) => r.method === "GET");
    expect(read).toMatchObject({ path: `/v2/jobs/${submitted.providerJobId}`, status: 200 });
    expect(read?.headers["x-api-key"]).toBe("emu-apiframe-key");

    const [delivered] = await callbacks.waitFor(1);
    expect(delivered?.path).toBe("/api/webhooks/apiframe?token=t");
    expect(apiframe.parseCallback?.(delivered?.rawBody ?? "", delivered?.headers ?? new Headers())).toEqual(
      done,
    );
  });

  it("sends only prompt and model when there is no seed or webhook", async () => {
    await provider({ APIFRAME_MODEL: "reve-create" }).submit("create", { prompt: "Plain" });
    expect(apiframeRequests()[0]?.body).toEqual({ prompt: "Plain", model: "reve-create" });
  });

  it("reads a result given as an array", async () => {
    const apiframe = provider();
    const done = await untilTerminal(
      apiframe,
      await apiframe.submit("create", { prompt: "two [emu:multi]" }),
    );
    expect(done.state === "succeeded" && done.outputs.length).toBe(2);
  });

  it.each([
    ["[emu:400]", { code: "invalid_input", retryable: false, httpStatus: 400 }],
    ["[emu:401]", { code: "provider_auth", retryable: false, httpStatus: 401 }],
    ["[emu:402]", { code: "provider_quota", retryable: false, httpStatus: 402 }],
    ["[emu:403]", { code: "provider_auth", retryable: false, httpStatus: 403 }],
    ["[emu:429]", { code: "rate_limited", retryable: true, httpStatus: 429 }],
    ["[emu:500]", { code: "provider_error", retryable: true, httpStatus: 500, ambiguous: true }],
    ["[emu:503]", { code: "provider_error", retryable: true, httpStatus: 503, ambiguous: true }],
  ])("maps a submit answered %s by its HTTP status", async (marker, expected) => {
    const error = await rejectionOf(provider().submit("create", { prompt: `x ${marker}` }));
    expect(error).toBeInstanceOf(ProviderError);
    // A 5xx may come from a gateway after the reseller took the job: ambiguous, never failed over.
    expect(error).toMatchObject({ ambiguous: false, ...expected, accepted: false });
  });

  it("maps a wrong model and a wrong key", async () => {
    expect(
      await rejectionOf(provider({ APIFRAME_MODEL: "nope" }).submit("create", { prompt: "x" })),
    ).toMatchObject({
      code: "invalid_input",
      httpStatus: 400,
    });
    expect(
      await rejectionOf(provider({ APIFRAME_API_KEY: "wrong" }).submit("create", { prompt: "x" })),
    ).toMatchObject({
      code: "provider_auth",
      httpStatus: 401,
    });
  });

  it.each([
    ["[emu:fail]", { code: "provider_error", retryable: false }],
    ["[emu:error]", { code: "provider_error", retryable: false }],
    ["[emu:policy]", { code: "content_policy", retryable: false }],
  ])("reads a job that ends %s", async (marker, expected) => {
    const apiframe = provider();
    const done = await untilTerminal(apiframe, await apiframe.submit("create", { prompt: `x ${marker}` }));
    expect(done).toMatchObject({ state: "failed", failure: expected });
  });

  it("reads unreadable answers as provider_error", async () => {
    const apiframe = provider();
    expect(await rejectionOf(apiframe.submit("create", { prompt: "x [emu:malformed]" }))).toMatchObject({
      code: "provider_error",
      ambiguous: true,
    });
    const submitted = await apiframe.submit("create", { prompt: "x [emu:malformed-status]" });
    expect(await rejectionOf(apiframe.getStatus(submitted.providerJobId))).toMatchObject({
      code: "provider_error",
    });
  });

  it("gives up on a submit that never answers", async () => {
    const error = await rejectionOf(provider({}, 300).submit("create", { prompt: "x [emu:timeout]" }));
    expect(error).toMatchObject({ code: "timeout", retryable: true, ambiguous: true });
  });

  it("refuses what Apiframe does not offer before sending anything", async () => {
    const apiframe = provider();
    const refused = [
      () => apiframe.submit("edit", { prompt: "x", imageUrls: ["https://example.com/a.png"] }),
      () => apiframe.submit("remix", { prompt: "x", imageUrls: ["https://example.com/a.png"] }),
      () => apiframe.submit("create", { prompt: "x", aspectRatio: "16:9" }),
      () => apiframe.submit("create", { prompt: "x", negativePrompt: "blur" }),
      () => apiframe.submit("create", { prompt: "x", imageUrls: ["https://example.com/a.png"] }),
    ];
    for (const attempt of refused)
      expect(await rejectionOf(attempt())).toMatchObject({ code: "invalid_input" });
    expect(apiframeRequests()).toHaveLength(0);
    await expect(apiframe.submit("create", { prompt: "square", aspectRatio: "1:1" })).resolves.toMatchObject({
      state: "queued",
    });
  });
});

const DOC_JOB = "b2c3d4e5-f6a7-8901-bcde-f23456789012";

function docProvider(replies: Reply[]) {
  const fake = fakeFetch(replies);
  const config = configFromVars({ APIFRAME_API_KEY: "afk_your_api_key_here" }).apiframe;
  return {
    apiframe: createApiframeProvider(config, { fetch: fake.fetch, retry: NO_WAIT_RETRY }),
    calls: fake.calls,
  };
}

describe("Apiframe on the document's own bodies", () => {
  it("sends the quick-start request and reads the documented 202", async () => {
    const { apiframe, calls } = docProvider([{ status: 202, json: { jobId: DOC_JOB, status: "QUEUED" } }]);
    const prompt = "a sleek silver sports car on a coastal highway at sunset, hyper-realistic";
    await expect(apiframe.submit("create", { prompt, seed: 1 })).resolves.toEqual({
      state: "queued",
      providerJobId: DOC_JOB,
    });
    expect(calls).toEqual([
      {
        url: "https://api.apiframe.ai/v2/images/generate",
        method: "POST",
        headers: { "x-api-key": "afk_your_api_key_here", "content-type": "application/json" },
        body: { prompt, model: "reve-create", reveParams: { seed: 1 } },
      },
    ]);
  });

  it("polls the documented job URL", async () => {
    const { apiframe, calls } = docProvider([
      { status: 200, json: { jobId: DOC_JOB, status: "PROCESSING" } },
    ]);
    await expect(apiframe.getStatus(DOC_JOB)).resolves.toEqual({
      state: "processing",
      providerJobId: DOC_JOB,
    });
    expect(calls[0]).toMatchObject({
      url: `https://api.apiframe.ai/v2/jobs/${DOC_JOB}`,
      method: "GET",
      headers: { "x-api-key": "afk_your_api_key_here" },
    });
  });

  it.each([
    [{ status: "QUEUED" }, { state: "queued" }],
    [
      { status: "COMPLETED", result: "https://cdn.apiframe.ai/a.png" },
      { outputs: [{ url: "https://cdn.apiframe.ai/a.png" }] },
    ],
    [
      { status: "COMPLETED", result: ["https://cdn.apiframe.ai/a.png", "https://cdn.apiframe.ai/b.png"] },
      { outputs: [{ url: "https://cdn.apiframe.ai/a.png" }, { url: "https://cdn.apiframe.ai/b.png" }] },
    ],
    [{ status: "COMPLETED" }, { state: "failed", failure: { code: "provider_error" } }],
    [
      { status: "FAILED", error: "Something broke" },
      { state: "failed", failure: { code: "provider_error", retryable: false } },
    ],
  ])("reads the job %j", async (job, expected) => {
    const { apiframe } = docProvider([{ status: 200, json: { jobId: DOC_JOB, ...job } }]);
    const status = await apiframe.getStatus(DOC_JOB);
    expect(status).toMatchObject(expected);
    expect(JSON.stringify(status)).not.toContain("Something broke");
  });

  it.each([
    [400, "invalid_input"],
    [401, "provider_auth"],
    [402, "provider_quota"],
    [403, "provider_auth"],
    [429, "rate_limited"],
    [500, "provider_error"],
  ])("maps an undocumented %i by its status", async (status, code) => {
    const { apiframe } = docProvider([{ status, json: { error: "e", message: "upstream words" } }]);
    const error = await rejectionOf(apiframe.submit("create", { prompt: "p" }));
    expect(error).toMatchObject({ code, httpStatus: status });
    expect(JSON.stringify(error)).not.toContain("upstream words");
  });

  it("parses job-shaped callbacks and refuses anything else", () => {
    const { apiframe } = docProvider([]);
    const body = JSON.stringify({
      jobId: DOC_JOB,
      status: "COMPLETED",
      result: "https://cdn.apiframe.ai/a.png",
    });
    expect(apiframe.parseCallback?.(body, new Headers())).toEqual({
      state: "succeeded",
      providerJobId: DOC_JOB,
      outputs: [{ url: "https://cdn.apiframe.ai/a.png" }],
    });
    expect(() => apiframe.parseCallback?.('{"jobId":1}', new Headers())).toThrow(ProviderError);
  });
});
