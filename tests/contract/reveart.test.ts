import { configFromVars, emulatorConfig } from "./support/config";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ProviderError } from "@/server/providers/http-client";
import { createReveartProvider } from "@/server/providers/reveart";

import {
  NO_WAIT_RETRY,
  rejectionOf,
  startTestEmulator,
  untilTerminal,
  type Emulator,
} from "./support/emulator";
import { fakeFetch, type Reply } from "./support/fake-fetch";

// The contract: /work/shared/provider-docs/reve-art-api.txt

let emu: Emulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.clearRequests());

function provider(vars: Record<string, string> = {}, timeoutMs?: number) {
  const config = emulatorConfig(emu.port, vars).reveart;
  return createReveartProvider(timeoutMs ? { ...config, timeoutMs } : config, { retry: NO_WAIT_RETRY });
}

const reveartRequests = () => emu.requests().filter((r) => r.provider === "reveart");

describe("reve-art against the emulator", () => {
  it("sends an async create exactly as documented and follows it to the result", async () => {
    const reveart = provider();
    const submitted = await reveart.submit("create", {
      prompt: "A harbour",
      negativePrompt: "fog",
      aspectRatio: "4:3",
    });
    expect(submitted).toEqual({ state: "queued", providerJobId: expect.any(String) });
    const [request] = reveartRequests();
    expect(request).toMatchObject({ method: "POST", path: "/v1/reve-image/generate", status: 200 });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer emu-reveart-key",
    });
    expect(request?.body).toEqual({
      prompt: "A harbour",
      negative_prompt: "fog",
      aspect_ratio: "4:3",
      async: true,
    });

    const done = await untilTerminal(reveart, submitted);
    expect(done).toEqual({
      state: "succeeded",
      providerJobId: submitted.providerJobId,
      outputs: [{ url: expect.stringContaining(`${emu.url}/files/`), width: 1024, height: 768 }],
    });
    const read = reveartRequests().find((r) => r.method === "GET");
    expect(read).toMatchObject({ path: `/v1/reve-image/status/${submitted.providerJobId}`, status: 200 });
    expect(read?.headers.authorization).toBe("Bearer emu-reveart-key");
  });

  it("returns a synchronous answer as succeeded, with the default square ratio", async () => {
    const submitted = await provider({ REVEART_ASYNC: "false" }).submit("create", { prompt: "Now" });
    expect(submitted).toEqual({
      state: "succeeded",
      providerJobId: expect.any(String),
      outputs: [{ url: expect.stringContaining(`${emu.url}/files/`), width: 1024, height: 1024 }],
    });
    expect(reveartRequests().map((r) => [r.method, r.body])).toEqual([
      ["POST", { prompt: "Now", aspect_ratio: "1:1", async: false }],
    ]);
  });

  it("follows a configured generate path (the document also names /v1/images/generate)", async () => {
    await provider({ REVEART_GENERATE_PATH: "/v1/images/generate" }).submit("create", { prompt: "alias" });
    expect(reveartRequests()[0]).toMatchObject({ path: "/v1/images/generate", status: 200 });
  });

  it.each([
    ["[emu:400]", { code: "invalid_input", retryable: false, httpStatus: 400 }],
    ["[emu:401]", { code: "provider_auth", retryable: false, httpStatus: 401 }],
    ["[emu:402]", { code: "provider_quota", retryable: false, httpStatus: 402 }],
    ["[emu:403]", { code: "provider_auth", retryable: false, httpStatus: 403 }],
    ["[emu:429]", { code: "rate_limited", retryable: true, httpStatus: 429 }],
    ["[emu:500]", { code: "provider_error", retryable: true, httpStatus: 500, ambiguous: true }],
    ["[emu:503]", { code: "provider_error", retryable: true, httpStatus: 503, ambiguous: true }],
  ])("maps a text answer to a submit %s by its HTTP status", async (marker, expected) => {
    const error = await rejectionOf(provider().submit("create", { prompt: `x ${marker}` }));
    expect(error).toBeInstanceOf(ProviderError);
    // A 5xx may come from a gateway after the reseller took the job: ambiguous, never failed over.
    expect(error).toMatchObject({ ambiguous: false, ...expected, accepted: false });
  });

  it("maps a wrong key and the documented 10-per-minute limit", async () => {
    expect(
      await rejectionOf(provider({ REVEART_API_KEY: "wrong" }).submit("create", { prompt: "x" })),
    ).toMatchObject({
      code: "provider_auth",
    });
    emu.configure({ reveartRateLimitPerMinute: 1 });
    try {
      const reveart = provider();
      await reveart.submit("create", { prompt: "one" });
      expect(await rejectionOf(reveart.submit("create", { prompt: "two" }))).toMatchObject({
        code: "rate_limited",
        retryable: true,
      });
    } finally {
      emu.configure({ reveartRateLimitPerMinute: 0 });
    }
  });

  it.each([
    ["[emu:fail]", { code: "provider_error", retryable: false }],
    ["[emu:policy]", { code: "content_policy", retryable: false }],
  ])("reads a job that ends %s as failed", async (marker, expected) => {
    const reveart = provider();
    const done = await untilTerminal(reveart, await reveart.submit("create", { prompt: `x ${marker}` }));
    expect(done).toMatchObject({ state: "failed", failure: expected });
  });

  it("reads unreadable answers as provider_error and a silent submit as an ambiguous timeout", async () => {
    const reveart = provider();
    expect(await rejectionOf(reveart.submit("create", { prompt: "x [emu:malformed]" }))).toMatchObject({
      code: "provider_error",
      ambiguous: true,
    });
    const submitted = await reveart.submit("create", { prompt: "x [emu:malformed-status]" });
    expect(await rejectionOf(reveart.getStatus(submitted.providerJobId))).toMatchObject({
      code: "provider_error",
    });
    expect(
      await rejectionOf(provider({}, 300).submit("create", { prompt: "x [emu:timeout]" })),
    ).toMatchObject({
      code: "timeout",
      ambiguous: true,
    });
  });

  it("refuses what reve-art does not offer before sending anything", async () => {
    const reveart = provider();
    for (const attempt of [
      () => reveart.submit("edit", { prompt: "x", imageUrls: ["https://e.com/a.png"] }),
      () => reveart.submit("remix", { prompt: "x", imageUrls: ["https://e.com/a.png"] }),
      () => reveart.submit("create", { prompt: "x", seed: 4 }),
    ]) {
      expect(await rejectionOf(attempt())).toMatchObject({ code: "invalid_input" });
    }
    expect(reveartRequests()).toHaveLength(0);
  });
});

// Bodies copied from the document.
const DOC_SYNC = {
  id: "img_123",
  status: "completed",
  url: "https://cdn.reve-art.com/img_123.png",
  metadata: { prompt: "your prompt", width: 1024, height: 1024, created_at: "2024-01-01T00:00:00Z" },
};
const DOC_STATUS = {
  id: "img_123",
  status: "completed",
  url: "https://cdn.reve-art.com/img_123.png",
  metadata: {
    prompt: "original prompt",
    width: 1024,
    height: 1024,
    model: "text2image_v1",
    created_at: "2024-01-01T00:00:00Z",
  },
};

function docProvider(replies: Reply[], vars: Record<string, string> = {}) {
  const fake = fakeFetch(replies);
  const config = configFromVars({ REVEART_API_KEY: "your_api_key", ...vars }).reveart;
  return {
    reveart: createReveartProvider(config, { fetch: fake.fetch, retry: NO_WAIT_RETRY }),
    calls: fake.calls,
  };
}

describe("reve-art on the document's own bodies", () => {
  it("sends the documented request and reads the synchronous answer", async () => {
    const { reveart, calls } = docProvider([{ status: 200, json: DOC_SYNC }], { REVEART_ASYNC: "false" });
    await expect(
      reveart.submit("create", { prompt: "a beautiful sunset over mountains", aspectRatio: "16:9" }),
    ).resolves.toEqual({
      state: "succeeded",
      providerJobId: "img_123",
      outputs: [{ url: "https://cdn.reve-art.com/img_123.png", width: 1024, height: 1024 }],
    });
    expect(calls).toEqual([
      {
        url: "https://api.reve-art.com/v1/reve-image/generate",
        method: "POST",
        headers: { authorization: "Bearer your_api_key", "content-type": "application/json" },
        body: { prompt: "a beautiful sunset over mountains", aspect_ratio: "16:9", async: false },
      },
    ]);
  });

  it("reads the asynchronous answer and the documented status", async () => {
    const { reveart, calls } = docProvider([
      { status: 200, json: { id: "img_123", status: "pending" } },
      { status: 200, json: DOC_STATUS },
    ]);
    await expect(reveart.submit("create", { prompt: "p" })).resolves.toEqual({
      state: "queued",
      providerJobId: "img_123",
    });
    await expect(reveart.getStatus("img_123")).resolves.toEqual({
      state: "succeeded",
      providerJobId: "img_123",
      outputs: [{ url: "https://cdn.reve-art.com/img_123.png", width: 1024, height: 1024 }],
    });
    expect(calls[1]).toMatchObject({
      url: "https://api.reve-art.com/v1/reve-image/status/img_123",
      method: "GET",
      headers: { authorization: "Bearer your_api_key" },
    });
  });

  it.each(["failed", "error", "cancelled", "FAILED", "Canceled"])(
    "reads the undocumented status %s, which names a failure, as failed",
    async (status) => {
      const { reveart } = docProvider([
        { status: 200, json: { id: "img_123", status, error: "Upstream words" } },
      ]);
      const read = await reveart.getStatus("img_123");
      expect(read).toMatchObject({ state: "failed", failure: { code: "provider_error", retryable: false } });
      expect(JSON.stringify(read)).not.toContain("Upstream words");
    },
  );

  it.each(["processing", "IN_PROGRESS", "running"])(
    "keeps a job running on the undocumented in-between status %s",
    async (status) => {
      const { reveart } = docProvider([{ status: 200, json: { id: "img_123", status } }]);
      await expect(reveart.getStatus("img_123")).resolves.toEqual({
        state: "processing",
        providerJobId: "img_123",
      });
    },
  );

  it.each([
    [400, "Bad Request: aspect_ratio is invalid", "invalid_input"],
    [400, "Prompt rejected by content policy", "content_policy"],
    [401, "Invalid API key", "provider_auth"],
    [402, "Insufficient credits", "provider_quota"],
    [429, "Rate limit exceeded: 10 requests per minute", "rate_limited"],
    [500, "Internal Server Error", "provider_error"],
  ])("maps a %i text answer without showing it", async (status, text, code) => {
    const { reveart } = docProvider([{ status, text }]);
    const error = await rejectionOf(reveart.submit("create", { prompt: "p" }));
    expect(error).toMatchObject({ code, httpStatus: status });
    expect(JSON.stringify(error)).not.toContain(text);
  });
});
