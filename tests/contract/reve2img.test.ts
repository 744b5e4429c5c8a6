import { configFromVars, emulatorConfig } from "./support/config";

import { describe, expect, it } from "vitest";

import { ProviderError } from "@/server/providers/http-client";
import { createReve2imgProvider } from "@/server/providers/reve2img";

import { NO_WAIT_RETRY, rejectionOf, untilTerminal, useEmulatorWithImages } from "./support/emulator";
import { fakeFetch, type Reply } from "./support/fake-fetch";

// The contract: /work/shared/provider-docs/reve2img-api-reference.txt

const servers = useEmulatorWithImages();

function provider(vars: Record<string, string> = {}, timeoutMs?: number) {
  const config = emulatorConfig(servers.emu.port, vars).reve2img;
  return createReve2imgProvider(timeoutMs ? { ...config, timeoutMs } : config, { retry: NO_WAIT_RETRY });
}

const reve2imgRequests = () => servers.emu.requests().filter((r) => r.provider === "reve2img");

describe("reve2img against the emulator", () => {
  it("sends a create exactly as documented and follows it to the result", async () => {
    const reve2img = provider();
    const submitted = await reve2img.submit("create", { prompt: "A lighthouse", aspectRatio: "16:9" });
    expect(submitted).toEqual({ state: "processing", providerJobId: expect.any(String) });
    const [request] = reve2imgRequests();
    expect(request).toMatchObject({ method: "POST", path: "/api/v1/generate", status: 200 });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer sk-emu-reve2img-key",
    });
    expect(request?.body).toEqual({ model: "reve-image", prompt: "A lighthouse", aspect_ratio: "16:9" });

    const done = await untilTerminal(reve2img, submitted);
    expect(done).toEqual({
      state: "succeeded",
      providerJobId: submitted.providerJobId,
      outputs: [{ url: expect.stringContaining(`${servers.emu.url}/files/`) }],
      consumedCredits: expect.any(Number),
    });
    const read = reve2imgRequests().find((r) => r.method === "GET");
    expect(read).toMatchObject({
      path: "/api/v1/status",
      query: { task_id: submitted.providerJobId },
      status: 200,
    });
    expect(read?.headers.authorization).toBe("Bearer sk-emu-reve2img-key");
  });

  it("returns a synchronous model's SUCCESS at once, without polling", async () => {
    const submitted = await provider({ REVE2IMG_CREATE_MODEL: "reve-2.0" }).submit("create", {
      prompt: "Now",
    });
    expect(submitted).toEqual({
      state: "succeeded",
      providerJobId: expect.any(String),
      outputs: [{ url: expect.stringContaining(`${servers.emu.url}/files/`) }],
      consumedCredits: expect.any(Number),
    });
    expect(reve2imgRequests().map((r) => r.method)).toEqual(["POST"]);
    expect(reve2imgRequests()[0]?.body).toEqual({ model: "reve-2.0", prompt: "Now" });
  });

  it("sends edit and remix through image_urls with the configured models", async () => {
    const reve2img = provider();
    const [a, b] = [`${servers.images.url}/a.png`, `${servers.images.url}/b.png`];
    const edit = await reve2img.submit("edit", { prompt: "Tint it", imageUrls: [a] });
    const remix = await reve2img.submit("remix", { prompt: "Blend", imageUrls: [a, b], aspectRatio: "3:4" });
    expect(reve2imgRequests().map((r) => r.body)).toEqual([
      { model: "reve-edit", prompt: "Tint it", image_urls: [a] },
      { model: "reve-remix", prompt: "Blend", aspect_ratio: "3:4", image_urls: [a, b] },
    ]);
    expect((await untilTerminal(reve2img, edit)).state).toBe("succeeded");
    expect((await untilTerminal(reve2img, remix)).state).toBe("succeeded");
  });

  it.each([
    ["[emu:400]", { code: "invalid_input", retryable: false, httpStatus: 400 }],
    [
      "[emu:policy]",
      { code: "content_policy", retryable: false, httpStatus: 400, upstreamCode: "CONTENT_POLICY_VIOLATION" },
    ],
    [
      "[emu:401]",
      { code: "provider_auth", retryable: false, httpStatus: 401, upstreamCode: "INVALID_API_KEY" },
    ],
    [
      "[emu:402]",
      { code: "provider_quota", retryable: false, httpStatus: 402, upstreamCode: "INSUFFICIENT_CREDITS" },
    ],
    ["[emu:403]", { code: "provider_auth", retryable: false, httpStatus: 403 }],
    ["[emu:429]", { code: "rate_limited", retryable: true, httpStatus: 429, upstreamCode: "RATE_LIMITED" }],
    [
      "[emu:toomany]",
      { code: "rate_limited", retryable: true, httpStatus: 429, upstreamCode: "TOO_MANY_TASKS" },
    ],
    [
      "[emu:500]",
      { code: "provider_error", retryable: true, httpStatus: 500, upstreamCode: "GENERATION_FAILED" },
    ],
    [
      "[emu:503]",
      { code: "provider_error", retryable: true, httpStatus: 503, upstreamCode: "SERVICE_UNAVAILABLE" },
    ],
    // 500 and 503 are "safe to retry" by the document (nothing created); a 504 TIMEOUT may have been.
    [
      "[emu:504]",
      { code: "timeout", retryable: true, httpStatus: 504, upstreamCode: "TIMEOUT", ambiguous: true },
    ],
  ])("maps a submit answered %s", async (marker, expected) => {
    const error = await rejectionOf(provider().submit("create", { prompt: `x ${marker}` }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ ambiguous: false, ...expected, accepted: false });
  });

  it("maps a wrong key, an unknown model and a parameter the model refuses", async () => {
    expect(
      await rejectionOf(provider({ REVE2IMG_API_KEY: "sk-wrong" }).submit("create", { prompt: "x" })),
    ).toMatchObject({
      code: "provider_auth",
      upstreamCode: "INVALID_API_KEY",
    });
    expect(
      await rejectionOf(provider({ REVE2IMG_CREATE_MODEL: "nope" }).submit("create", { prompt: "x" })),
    ).toMatchObject({
      code: "invalid_input",
      upstreamCode: "INVALID_MODEL",
    });
    const createOnlyForEdit = provider({ REVE2IMG_EDIT_MODEL: "reve-image" });
    expect(
      await rejectionOf(
        createOnlyForEdit.submit("edit", { prompt: "x", imageUrls: [`${servers.images.url}/a.png`] }),
      ),
    ).toMatchObject({ code: "invalid_input", upstreamCode: "INVALID_PARAMETER" });
  });

  it("reads an unknown task as provider_error without retrying", async () => {
    const error = await rejectionOf(provider().getStatus("no-such-task"));
    expect(error).toMatchObject({
      code: "provider_error",
      retryable: false,
      httpStatus: 404,
      upstreamCode: "TASK_NOT_FOUND",
    });
    expect(reve2imgRequests()).toHaveLength(1);
  });

  it("reads a FAILED task with its error code", async () => {
    const reve2img = provider();
    const done = await untilTerminal(reve2img, await reve2img.submit("create", { prompt: "x [emu:fail]" }));
    expect(done).toMatchObject({ state: "failed", failure: { code: "provider_error", retryable: true } });
  });

  it("reads unreadable answers as provider_error and a silent submit as an ambiguous timeout", async () => {
    const reve2img = provider();
    expect(await rejectionOf(reve2img.submit("create", { prompt: "x [emu:malformed]" }))).toMatchObject({
      code: "provider_error",
      ambiguous: true,
    });
    const submitted = await reve2img.submit("create", { prompt: "x [emu:malformed-status]" });
    expect(await rejectionOf(reve2img.getStatus(submitted.providerJobId))).toMatchObject({
      code: "provider_error",
    });
    expect(
      await rejectionOf(provider({}, 300).submit("create", { prompt: "x [emu:timeout]" })),
    ).toMatchObject({
      code: "timeout",
      ambiguous: true,
    });
  });

  it("offers no operation whose model is not configured: no invented default model", async () => {
    const bare = createReve2imgProvider(
      configFromVars({
        REVE_EMULATOR: "off",
        REVE2IMG_API_KEY: "k",
        REVE2IMG_BASE_URL: `${servers.emu.url}/reve2img`,
      }).reve2img,
    );
    expect(Object.keys(bare.capabilities.operations)).toEqual([]);
    expect(await rejectionOf(bare.submit("create", { prompt: "x" }))).toMatchObject({
      code: "invalid_input",
      kind: "input",
    });
    const reve2img = createReve2imgProvider(
      configFromVars({
        REVE_EMULATOR: "off",
        REVE2IMG_API_KEY: "k",
        REVE2IMG_BASE_URL: `${servers.emu.url}/reve2img`,
        REVE2IMG_CREATE_MODEL: "reve-image",
      }).reve2img,
    );
    expect(Object.keys(reve2img.capabilities.operations)).toEqual(["create"]);
    expect(
      await rejectionOf(reve2img.submit("edit", { prompt: "x", imageUrls: ["https://e.com/a.png"] })),
    ).toMatchObject({
      code: "invalid_input",
      kind: "input",
    });
    expect(reve2imgRequests()).toHaveLength(0);
  });
});

// Bodies copied from the document.
const DOC_ERRORS = [
  [400, "INVALID_PROMPT", "invalid_input", false],
  [400, "INVALID_MODEL", "invalid_input", false],
  [400, "INVALID_PARAMETER", "invalid_input", false],
  [400, "CONTENT_POLICY_VIOLATION", "content_policy", false],
  [401, "INVALID_API_KEY", "provider_auth", false],
  [402, "INSUFFICIENT_CREDITS", "provider_quota", false],
  [404, "TASK_NOT_FOUND", "provider_error", false],
  [429, "RATE_LIMITED", "rate_limited", true],
  [429, "TOO_MANY_TASKS", "rate_limited", true],
  [500, "GENERATION_FAILED", "provider_error", true],
  [503, "SERVICE_UNAVAILABLE", "provider_error", true],
  [504, "TIMEOUT", "timeout", true],
] as const;

function docProvider(replies: Reply[]) {
  const fake = fakeFetch(replies);
  const config = configFromVars({
    REVE2IMG_API_KEY: "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    REVE2IMG_CREATE_MODEL: "reve-image",
  }).reve2img;
  return {
    reve2img: createReve2imgProvider(config, { fetch: fake.fetch, retry: NO_WAIT_RETRY }),
    calls: fake.calls,
  };
}

describe("reve2img on the document's own bodies", () => {
  it("sends to the documented URL and reads the documented create answer", async () => {
    const { reve2img, calls } = docProvider([
      {
        status: 200,
        json: { code: 200, message: "success", data: { task_id: "abc123", status: "IN_PROGRESS" } },
      },
    ]);
    await expect(reve2img.submit("create", { prompt: "p" })).resolves.toEqual({
      state: "processing",
      providerJobId: "abc123",
    });
    expect(calls[0]).toEqual({
      url: "https://reve2img.com/api/v1/generate",
      method: "POST",
      headers: {
        authorization: "Bearer sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "content-type": "application/json",
      },
      body: { model: "reve-image", prompt: "p" },
    });
  });

  it("reads the documented SUCCESS status with its credits", async () => {
    const { reve2img, calls } = docProvider([
      {
        status: 200,
        json: {
          code: 200,
          message: "success",
          data: {
            task_id: "abc123",
            status: "SUCCESS",
            consumed_credits: 12,
            response: { resultUrls: ["https://cdn.reve2img.com/...."] },
          },
        },
      },
    ]);
    await expect(reve2img.getStatus("abc123")).resolves.toEqual({
      state: "succeeded",
      providerJobId: "abc123",
      outputs: [{ url: "https://cdn.reve2img.com/...." }],
      consumedCredits: 12,
    });
    expect(calls[0]?.url).toBe("https://reve2img.com/api/v1/status?task_id=abc123");
  });

  it.each(DOC_ERRORS)("maps HTTP %i %s", async (status, message, code, retryable) => {
    const { reve2img } = docProvider([
      { status, json: { code: status, message, detail: "Upstream detail words." } },
    ]);
    const error = await rejectionOf(reve2img.submit("create", { prompt: "p" }));
    expect(error).toMatchObject({
      code,
      retryable,
      httpStatus: status,
      upstreamCode: message,
      accepted: false,
    });
    expect(JSON.stringify(error)).not.toContain("Upstream detail words");
  });

  it.each(DOC_ERRORS)(
    "maps an envelope code %i %s inside a 2xx answer",
    async (status, message, code, retryable) => {
      const { reve2img } = docProvider([{ status: 200, json: { code: status, message, detail: "d" } }]);
      expect(await rejectionOf(reve2img.submit("create", { prompt: "p" }))).toMatchObject({
        code,
        retryable,
        kind: "upstream",
      });
    },
  );

  it.each(DOC_ERRORS)(
    "maps a FAILED task whose error code is %i %s",
    async (_status, message, code, retryable) => {
      const data = {
        task_id: "abc123",
        status: "FAILED",
        error: { code: message, message: "Upstream words." },
      };
      const { reve2img } = docProvider([{ status: 200, json: { code: 200, message: "success", data } }]);
      const status = await reve2img.getStatus("abc123");
      expect(status).toMatchObject({ state: "failed", failure: { code, retryable } });
      expect(JSON.stringify(status)).not.toContain("Upstream words");
    },
  );

  it("retries a status read the provider could not serve, but not a missing task", async () => {
    const envelope = (code: number, message: string) => ({ status: code, json: { code, message } });
    const ok = {
      status: 200,
      json: { code: 200, message: "success", data: { task_id: "t", status: "IN_PROGRESS" } },
    };
    const retried = docProvider([envelope(503, "SERVICE_UNAVAILABLE"), ok]);
    await expect(retried.reve2img.getStatus("t")).resolves.toMatchObject({ state: "processing" });
    expect(retried.calls).toHaveLength(2);
    const missing = docProvider([envelope(404, "TASK_NOT_FOUND"), ok]);
    await rejectionOf(missing.reve2img.getStatus("t"));
    expect(missing.calls).toHaveLength(1);
  });
});
