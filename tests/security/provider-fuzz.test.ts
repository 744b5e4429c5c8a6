import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { FAILURE_CODES, type Operation, type ProviderId } from "@/lib/domain";
import { parseEnv } from "@/server/env";
import { createApiframeProvider } from "@/server/providers/apiframe";
import { providerConfigFromEnv } from "@/server/providers/config";
import { ProviderError } from "@/server/providers/http-client";
import { createPixazoProvider } from "@/server/providers/pixazo";
import { createReve2imgProvider } from "@/server/providers/reve2img";
import { createReveartProvider } from "@/server/providers/reveart";
import type { GenerationRequest, NormalizedStatus, ReveProvider } from "@/server/providers/types";

// Whatever a reseller answers — any JSON, truncated JSON, random text, right keys with wrong values —
// each adapter's submit, getStatus and parseCallback ends in a valid NormalizedStatus or a
// ProviderError, never in a TypeError or any other crash. A 2xx answer it cannot read becomes
// `provider_error`, unless it is a documented error envelope (reve2img's `{code, message}`).

const NUM_RUNS = 500;
const OK_STATUSES = [200, 201, 202];
const ERROR_STATUSES = [400, 401, 402, 403, 404, 408, 422, 429, 500, 502, 503, 504];

const config = providerConfigFromEnv(
  parseEnv({
    AUTH_SECRET: "fuzz-auth-secret-0123456789abcdef0123456789",
    MEDIA_SIGNING_SECRET: "fuzz-media-secret-0123456789abcdef012345",
    REVE_EMULATOR: "off",
    // A deployment the resellers can fetch inputs from, so edit and remix are on everywhere.
    APP_URL: "https://studio.example.com",
    PIXAZO_API_KEY: "fuzz-key",
    APIFRAME_API_KEY: "fuzz-key",
    REVE2IMG_API_KEY: "fuzz-key",
    REVE2IMG_CREATE_MODEL: "reve-image",
    REVEART_API_KEY: "fuzz-key",
  }),
);

interface Answer {
  status: number;
  body: string;
}

/** An adapter whose every HTTP call gets `answer`, with retries that do not wait. */
function adapter(id: ProviderId, answer: () => Answer): ReveProvider {
  const fetch = (async () => {
    const { status, body } = answer();
    return new Response(body, { status, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  const deps = { fetch, retry: { sleep: async () => undefined, random: () => 0 } };
  switch (id) {
    case "pixazo":
      return createPixazoProvider(config.pixazo, deps);
    case "apiframe":
      return createApiframeProvider(config.apiframe, deps);
    case "reve2img":
      return createReve2imgProvider(config.reve2img, deps);
    case "reveart":
      return createReveartProvider(config.reveart, deps);
  }
}

const JOBS: Record<ProviderId, { op: Operation; input: GenerationRequest }> = {
  pixazo: { op: "edit", input: { prompt: "make it night", imageUrls: ["https://studio.test/a.png"] } },
  apiframe: { op: "create", input: { prompt: "a lighthouse", seed: 7 } },
  reve2img: { op: "create", input: { prompt: "a lighthouse", aspectRatio: "16:9" } },
  reveart: { op: "create", input: { prompt: "a lighthouse", aspectRatio: "1:1" } },
};

/** Each reseller's documented answers, the raw material for truncation and field mutation. */
const DOCUMENTED: Record<ProviderId, { submit: object; status: object }> = {
  pixazo: {
    submit: {
      request_id: "req_1",
      status: "QUEUED",
      polling_url: "https://gateway.pixazo.ai/v2/requests/status/req_1",
    },
    status: {
      request_id: "req_1",
      status: "COMPLETED",
      output: { media_url: ["https://cdn.pixazo.ai/out.png"], media_type: "image/png" },
    },
  },
  apiframe: {
    submit: { jobId: "job_1", status: "QUEUED" },
    status: { jobId: "job_1", status: "COMPLETED", result: "https://cdn.apiframe.ai/out.png" },
  },
  reve2img: {
    submit: { code: 200, message: "success", data: { task_id: "t_1", status: "IN_PROGRESS" } },
    status: {
      code: 200,
      message: "success",
      data: {
        task_id: "t_1",
        status: "SUCCESS",
        consumed_credits: 12,
        response: { resultUrls: ["https://cdn.reve2img.com/o.png"] },
      },
    },
  },
  reveart: {
    submit: { id: "img_1", status: "pending" },
    status: {
      id: "img_1",
      status: "completed",
      url: "https://cdn.reve-art.com/o.png",
      metadata: { width: 1024, height: 1024 },
    },
  },
};

// Values a parser might trip over: wrong types, empty and huge strings, nested junk.
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "COMPLETED",
    "SUCCESS",
    "completed",
    "FAILED",
    "ERROR",
    "pending",
    "__proto__",
  ),
  fc.webUrl(),
  fc.constantFrom("javascript:alert(1)", "file:///etc/passwd", "http://169.254.169.254/", "not a url"),
  fc.array(fc.oneof(fc.webUrl(), fc.string(), fc.integer()), { maxLength: 4 }),
);

/** The documented answer with some fields replaced, removed or added. */
function mutated(doc: object): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) {
        paths.push([...path, k]);
        walk(v, [...path, k]);
      }
    }
  };
  walk(doc, []);
  const edit = fc.record({
    path: fc.constantFrom(...paths),
    action: fc.constantFrom("replace", "delete"),
    value: oddValue,
  });
  return fc
    .tuple(
      fc.array(edit, { minLength: 1, maxLength: 4 }),
      fc.dictionary(fc.string(), oddValue, { maxKeys: 2 }),
    )
    .map(([edits, extra]) => {
      const copy = structuredClone(doc) as Record<string, unknown>;
      for (const { path, action, value } of edits) {
        let node: Record<string, unknown> = copy;
        for (const key of path.slice(0, -1)) {
          const next = node[key];
          if (!next || typeof next !== "object" || Array.isArray(next)) return { ...copy, ...extra };
          node = next as Record<string, unknown>;
        }
        const last = path[path.length - 1]!;
        if (action === "delete") delete node[last];
        else node[last] = value;
      }
      return { ...copy, ...extra };
    });
}

/** Bodies: any JSON, a documented answer cut short, a mutated documented answer, or random text. */
function bodies(doc: object): fc.Arbitrary<string> {
  const text = JSON.stringify(doc);
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
    fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n)),
    { arbitrary: mutated(doc).map((v) => JSON.stringify(v)), weight: 3 },
    fc.constant(text),
    fc.string({ maxLength: 200 }),
    fc.constantFrom("", "<html><body>502 Bad Gateway</body></html>", "{", "[]", "null", "0", '"COMPLETED"'),
  );
}

// Mostly 2xx: that is where a parser has to read the body rather than fall back on the status.
const answers = (doc: object) =>
  fc.record({
    status: fc.oneof(
      { arbitrary: fc.constantFrom(...OK_STATUSES), weight: 3 },
      fc.constantFrom(...ERROR_STATUSES),
    ),
    body: bodies(doc),
  });

function isValidStatus(value: unknown): value is NormalizedStatus {
  const s = value as NormalizedStatus;
  if (!s || typeof s.providerJobId !== "string" || s.providerJobId.length === 0) return false;
  switch (s.state) {
    case "queued":
    case "processing":
      return true;
    case "succeeded":
      return (
        Array.isArray(s.outputs) &&
        s.outputs.length > 0 &&
        s.outputs.every((o) => typeof o.url === "string" && URL.canParse(o.url)) &&
        (s.consumedCredits === undefined || Number.isFinite(s.consumedCredits))
      );
    case "failed":
      return (
        (FAILURE_CODES as readonly string[]).includes(s.failure.code) &&
        typeof s.failure.retryable === "boolean" &&
        typeof s.failure.message === "string" &&
        s.failure.message.length > 0
      );
    default:
      return false;
  }
}

const counts = { statuses: 0, errors: 0 };

/** The verdict on one call: fine, or why not. */
function judge(
  outcome: { value?: unknown; error?: unknown },
  answer: Answer | { status: 200; body: string },
) {
  if ("error" in outcome) {
    const error = outcome.error;
    if (!(error instanceof ProviderError))
      return `threw ${(error as Error)?.name}: ${(error as Error)?.message}`;
    if (!(FAILURE_CODES as readonly string[]).includes(error.code)) return `unknown code ${error.code}`;
    const ok2xx = answer.status >= 200 && answer.status < 300;
    if (ok2xx && error.code !== "provider_error" && error.kind !== "upstream")
      return `a 2xx it could not read became ${error.code}`;
    if (answer.body.length >= 16 && error.message.includes(answer.body))
      return "the message repeats the body";
    counts.errors++;
    return null;
  }
  if (!isValidStatus(outcome.value)) return `not a valid status: ${JSON.stringify(outcome.value)}`;
  counts.statuses++;
  return null;
}

async function settle(run: () => Promise<unknown> | unknown): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

const IDS: ProviderId[] = ["pixazo", "apiframe", "reve2img", "reveart"];

describe.each(IDS)("%s adapter under fuzzed answers", (id) => {
  it("submit: any answer gives a status or a ProviderError", async () => {
    await fc.assert(
      fc.asyncProperty(answers(DOCUMENTED[id].submit), async (answer) => {
        const provider = adapter(id, () => answer);
        const outcome = await settle(() => provider.submit(JOBS[id].op, JOBS[id].input));
        expect(judge(outcome, answer)).toBeNull();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("getStatus: any answer gives a status or a ProviderError", async () => {
    await fc.assert(
      fc.asyncProperty(answers(DOCUMENTED[id].status), async (answer) => {
        const provider = adapter(id, () => answer);
        const outcome = await settle(() => provider.getStatus("job_1"));
        expect(judge(outcome, answer)).toBeNull();
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// Only Pixazo and Apiframe call back; their webhook bodies go through the same parsers.
// Found by the property above on a CI run: an envelope `code` that is an object whose conversion
// to a number throws. Kept as a fixed case so it is checked on every run, not by chance.
it("reve2img: an envelope code that is neither number nor string is no crash", async () => {
  const body = JSON.stringify({
    code: { toString: null },
    message: "success",
    data: { task_id: "t_1", status: "IN_PROGRESS" },
  });
  const answer = { status: 200 as const, body };
  const provider = adapter("reve2img", () => answer);
  expect(
    judge(await settle(() => provider.submit(JOBS.reve2img.op, JOBS.reve2img.input)), answer),
  ).toBeNull();
  expect(judge(await settle(() => provider.getStatus("t_1")), answer)).toBeNull();
});

describe.each(["pixazo", "apiframe"] as const)("%s webhook bodies under fuzzing", (id) => {
  it("parseCallback: any body gives a status or a ProviderError", () => {
    const provider = adapter(id, () => ({ status: 500, body: "" }));
    fc.assert(
      fc.property(bodies(DOCUMENTED[id].status), (body) => {
        let outcome: { value?: unknown; error?: unknown };
        try {
          outcome = {
            value: provider.parseCallback!(body, new Headers({ "content-type": "application/json" })),
          };
        } catch (error) {
          outcome = { error };
        }
        expect(judge(outcome, { status: 200, body })).toBeNull();
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("fuzzing totals", () => {
  it("prints what the properties covered", () => {
    const properties = IDS.length * 2 + 2;
    console.info(
      `provider fuzzing: ${properties} properties × ${NUM_RUNS} runs = ${properties * NUM_RUNS} answers; ` +
        `${counts.statuses} valid statuses, ${counts.errors} ProviderErrors, 0 crashes`,
    );
    expect(counts.statuses + counts.errors).toBeGreaterThanOrEqual(properties * NUM_RUNS);
  });
});
