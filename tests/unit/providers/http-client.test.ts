import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { createHttpClient, ProviderError, type HttpClientOptions } from "@/server/providers/http-client";

import { connectionRefused, connectionReset, fakeFetch, type Reply } from "../../contract/support/fake-fetch";

const KEY = "sk-SENTINEL-KEY-123";
const URL_ = "https://provider.test/api/thing";
const schema = z.object({ id: z.string() });

function client(replies: Reply[], overrides: Partial<HttpClientOptions> = {}) {
  const fake = fakeFetch(replies);
  const delays: number[] = [];
  const http = createHttpClient({
    provider: "pixazo",
    apiKey: KEY,
    authHeaders: (key) => ({ "X-Key": key }),
    timeoutMs: 5000,
    fetch: fake.fetch,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
    ...overrides,
  });
  return { http, calls: fake.calls, delays };
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

function expectNoKey(error: ProviderError) {
  expect(error.message).not.toContain(KEY);
  expect(JSON.stringify(error)).not.toContain(KEY);
  expect(JSON.stringify(error.cause ?? null)).not.toContain(KEY);
  expect(String(error.stack)).not.toContain(KEY);
}

describe("http client: status reads", () => {
  it("sends the key only in the headers and returns the validated body", async () => {
    const { http, calls } = client([{ status: 200, json: { id: "a", extra: 1 } }]);
    await expect(http.getJson(URL_, schema, { headers: { Accept: "x" } })).resolves.toEqual({ id: "a" });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "GET", url: URL_, headers: { "x-key": KEY, accept: "x" } });
  });

  it.each([429, 500, 502, 503, 504])(
    "retries a %i with backoff and full jitter, then succeeds",
    async (status) => {
      const { http, calls, delays } = client([{ status }, { status }, { status: 200, json: { id: "b" } }]);
      await expect(http.getJson(URL_, schema)).resolves.toEqual({ id: "b" });
      expect(calls).toHaveLength(3);
      // random() = 0.5 of an exponential ceiling: 300 ms, then 600 ms.
      expect(delays).toEqual([150, 300]);
    },
  );

  it("retries network errors and gives up after three attempts", async () => {
    const { http, calls } = client([{ throws: connectionReset() }]);
    const error = await caught(http.getJson(URL_, schema));
    expect(calls).toHaveLength(3);
    expect(error).toMatchObject({ code: "provider_error", retryable: true, kind: "network" });
  });

  it("retries a timed-out read", async () => {
    const { http, calls } = client([{ hang: true }, { status: 200, json: { id: "c" } }], { timeoutMs: 30 });
    await expect(http.getJson(URL_, schema)).resolves.toEqual({ id: "c" });
    expect(calls).toHaveLength(2);
  });

  it.each([
    [400, "invalid_input", false],
    [401, "provider_auth", false],
    [403, "provider_auth", false],
    [402, "provider_quota", false],
    [404, "provider_error", false],
  ] as const)("does not retry a %i and maps it to %s", async (status, code, retryable) => {
    const { http, calls } = client([{ status, json: { error: "nope" } }]);
    const error = await caught(http.getJson(URL_, schema));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code, retryable, httpStatus: status, accepted: false });
  });

  it("reads an unexpected shape as provider_error without retrying", async () => {
    const { http, calls } = client([{ status: 200, json: { nope: true } }]);
    const error = await caught(http.getJson(URL_, schema));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({
      code: "provider_error",
      kind: "malformed",
      retryable: true,
      ambiguous: false,
    });
  });

  it("reads a body that is not JSON as provider_error", async () => {
    const { http } = client([{ status: 200, text: '{"id": "trunc' }]);
    expect(await caught(http.getJson(URL_, schema))).toMatchObject({
      code: "provider_error",
      kind: "malformed",
    });
  });
});

describe("http client: submits", () => {
  it.each([
    [500, true],
    [503, true],
    [429, false],
  ])("never retries a submit answered %i (ambiguous: %s)", async (status, ambiguous) => {
    const { http, calls } = client([{ status }, { status: 202, json: { id: "x" } }]);
    const error = await caught(http.postJson(URL_, { a: 1 }, schema));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ httpStatus: status, ambiguous, accepted: false });
  });

  it("follows a same-origin redirect on a status read, and no other", async () => {
    const { http, calls } = client([
      { status: 301, headers: { location: `${URL_}/` } },
      { status: 200, json: { id: "r" } },
    ]);
    await expect(http.getJson(URL_, schema)).resolves.toEqual({ id: "r" });
    expect(calls.map((c) => c.url)).toEqual([URL_, `${URL_}/`]);
    const away = client([{ status: 302, headers: { location: "https://elsewhere.test/x" } }]);
    expect(await caught(away.http.getJson(URL_, schema))).toMatchObject({ httpStatus: 302 });
    expect(away.calls).toHaveLength(1);
  });

  it("waits the Retry-After a 429 asks for before reading again", async () => {
    const { http, delays } = client([
      { status: 429, headers: { "retry-after": "2" } },
      { status: 200, json: { id: "r" } },
    ]);
    await expect(http.getJson(URL_, schema)).resolves.toEqual({ id: "r" });
    expect(delays).toEqual([2000]);
  });

  it("sends the body as JSON once", async () => {
    const { http, calls } = client([{ status: 202, json: { id: "x" } }]);
    await expect(http.postJson(URL_, { a: 1 }, schema)).resolves.toEqual({ id: "x" });
    expect(calls).toEqual([{ url: URL_, method: "POST", headers: { "x-key": KEY }, body: { a: 1 } }]);
  });

  it("reads a timeout as a retryable, ambiguous timeout and does not resend", async () => {
    const { http, calls } = client([{ hang: true }], { timeoutMs: 30 });
    const error = await caught(http.postJson(URL_, {}, schema));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code: "timeout", retryable: true, ambiguous: true, kind: "timeout" });
  });

  it("reads a refused connection as provider_error that was certainly not accepted", async () => {
    const { http, calls } = client([{ throws: connectionRefused() }]);
    const error = await caught(http.postJson(URL_, {}, schema));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code: "provider_error", retryable: true, ambiguous: false });
    expect(error.cause).toEqual({ name: "TypeError", code: "ECONNREFUSED" });
  });

  it("reads a connection cut mid-answer as ambiguous", async () => {
    const { http } = client([{ throws: connectionReset() }]);
    expect(await caught(http.postJson(URL_, {}, schema))).toMatchObject({ ambiguous: true, kind: "network" });
  });

  it("reads an unreadable 2xx answer as ambiguous and not retryable", async () => {
    const { http } = client([{ status: 202, text: "<html>" }]);
    expect(await caught(http.postJson(URL_, {}, schema))).toMatchObject({
      code: "provider_error",
      kind: "malformed",
      ambiguous: true,
      retryable: false,
    });
  });

  it("lets the adapter refine the mapping from the documented body", async () => {
    const mapError = vi.fn(() => ({ code: "content_policy" as const, message: "Refused." }));
    const { http } = client([{ status: 400, json: { why: "policy" } }], { mapError });
    const error = await caught(http.postJson(URL_, {}, schema));
    expect(error).toMatchObject({
      code: "content_policy",
      retryable: false,
      message: "Refused.",
      httpStatus: 400,
    });
    expect(mapError).toHaveBeenCalledWith({ status: 400, json: { why: "policy" }, text: '{"why":"policy"}' });
  });

  it("does not follow redirects, which would carry the key elsewhere", async () => {
    const { http } = client([{ status: 302 }]);
    expect(await caught(http.postJson(URL_, {}, schema))).toMatchObject({
      httpStatus: 302,
      code: "provider_error",
    });
  });

  it("refuses to send without a key", async () => {
    const { http, calls } = client([{ status: 200, json: { id: "x" } }], { apiKey: undefined });
    expect(await caught(http.postJson(URL_, {}, schema))).toMatchObject({
      code: "provider_auth",
      kind: "config",
    });
    expect(calls).toHaveLength(0);
  });
});

describe("http client: secrets", () => {
  it("keeps the key out of every error, whatever the failure carried", async () => {
    const leaky = Object.assign(new Error(`bad header ${KEY}`), { code: KEY, cause: { code: KEY } });
    const replies: Reply[][] = [
      [{ throws: leaky }],
      [{ throws: new TypeError(`fetch failed ${KEY}`, { cause: leaky }) }],
      [{ status: 401, json: { error: `key ${KEY} is wrong` } }],
      [{ status: 500, text: `stack trace with ${KEY}` }],
      [{ status: 200, json: { echo: KEY } }],
    ];
    for (const reply of replies) {
      const { http } = client(reply);
      expectNoKey(await caught(http.postJson(URL_, {}, schema)));
      expectNoKey(await caught(http.getJson(URL_, schema)));
    }
    const { http } = client([{ status: 400, json: { detail: KEY } }], {
      mapError: () => {
        throw new Error(KEY);
      },
    });
    expectNoKey(await caught(http.postJson(URL_, {}, schema)));
  });

  it("never puts an upstream body in the message", async () => {
    const { http } = client([{ status: 400, json: { error: "upstream secret detail" } }]);
    const error = await caught(http.postJson(URL_, {}, schema));
    expect(JSON.stringify(error)).not.toContain("upstream secret detail");
  });
});
