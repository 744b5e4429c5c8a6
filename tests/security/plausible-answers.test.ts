import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ProviderId } from "@/lib/domain";
import { parseEnv } from "@/server/env";
import { leaseIfDue, pollLeasedJob } from "@/server/generations/poll";
import { submitGeneration } from "@/server/generations/submit";
import { sweepStuckJobs } from "@/server/generations/sweep";
import { createApiframeProvider } from "@/server/providers/apiframe";
import { providerConfigFromEnv } from "@/server/providers/config";
import { createPixazoProvider } from "@/server/providers/pixazo";
import { createProviderRegistry } from "@/server/providers/registry";
import { createReve2imgProvider } from "@/server/providers/reve2img";
import { createReveartProvider } from "@/server/providers/reveart";
import type { ReveProvider } from "@/server/providers/types";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, type LifecycleHarness } from "../helpers/lifecycle";

// Random PLAUSIBLE answers — what a real reseller may well send where its document is silent: the
// id under another name, states in any case, undocumented in-between states, one URL or many or
// an object of them, error codes as numbers or strings, extra fields. Every documented terminal
// state (and every state that names a failure) ends the job; no other state does; and whatever
// the answers, the deadline still ends the job.

const config = providerConfigFromEnv(
  parseEnv({
    AUTH_SECRET: "plausible-auth-secret-0123456789abcdef0123",
    MEDIA_SIGNING_SECRET: "plausible-media-secret-0123456789abcdef01",
    REVE_EMULATOR: "off",
    PIXAZO_API_KEY: "plausible-key",
    APIFRAME_API_KEY: "plausible-key",
    REVE2IMG_API_KEY: "plausible-key",
    REVE2IMG_CREATE_MODEL: "reve-image",
    REVEART_API_KEY: "plausible-key",
  }),
);

interface Shape {
  ids: string[];
  success: string;
  failures: string[];
  between: string[];
  wrap: (task: Record<string, unknown>) => unknown;
  result: (urls: unknown) => Record<string, unknown>;
}

// Each reseller's documented names, and the variants its document leaves open.
const SHAPES: Record<ProviderId, Shape> = {
  apiframe: {
    ids: ["jobId", "id"],
    success: "COMPLETED",
    failures: ["FAILED"],
    between: ["QUEUED", "PROCESSING", "IN_PROGRESS", "RUNNING", "STARTED"],
    wrap: (task) => task,
    result: (urls) => ({ result: urls }),
  },
  pixazo: {
    ids: ["request_id", "id"],
    success: "COMPLETED",
    failures: ["FAILED", "ERROR"],
    between: ["QUEUED", "PROCESSING", "IN_QUEUE", "RUNNING"],
    wrap: (task) => task,
    result: (urls) => ({ output: { media_url: urls, media_type: "image/png" } }),
  },
  reve2img: {
    ids: ["task_id", "id"],
    success: "SUCCESS",
    failures: ["FAILED"],
    between: ["IN_PROGRESS", "PROCESSING", "QUEUED", "PENDING"],
    wrap: (task) => ({ code: 200, message: "success", data: task }),
    result: (urls) => ({ consumed_credits: 12, response: { resultUrls: urls } }),
  },
  reveart: {
    ids: ["id"],
    success: "completed",
    failures: ["failed", "error", "cancelled"],
    between: ["pending", "processing", "queued", "in_progress", "generating"],
    wrap: (task) => task,
    result: (urls) => ({ url: Array.isArray(urls) ? urls[0] : urls, metadata: { width: 64, height: 64 } }),
  },
};

const PROVIDERS = Object.keys(SHAPES) as ProviderId[];

function adapter(id: ProviderId, answer: () => { status: number; body: string }): ReveProvider {
  const fetch = (async () => {
    const { status, body } = answer();
    return new Response(body, { status, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  const deps = { fetch, retry: { attempts: 1, sleep: async () => undefined } };
  if (id === "pixazo") return createPixazoProvider(config.pixazo, deps);
  if (id === "apiframe") return createApiframeProvider(config.apiframe, deps);
  if (id === "reve2img") return createReve2imgProvider(config.reve2img, deps);
  return createReveartProvider(config.reveart, deps);
}

const anyCase = (word: string) =>
  fc.constantFrom(
    word,
    word.toUpperCase(),
    word.toLowerCase(),
    word[0]!.toUpperCase() + word.slice(1).toLowerCase(),
  );

const url = fc.constantFrom("https://cdn.example.com/a.png", "https://cdn.example.com/b.png");
const urls = fc.oneof(
  url,
  fc.array(url, { minLength: 1, maxLength: 3 }),
  url.map((u) => ({ url: u })),
  url.map((u) => ({ urls: [u] })),
);
const errorValue = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("Something broke", "GENERATION_FAILED"),
  fc.record({
    code: fc.oneof(fc.constantFrom(500, 400, 503), fc.constantFrom("GENERATION_FAILED", "E42")),
    message: fc.constantFrom("GENERATION_FAILED", "Internal error", "content policy"),
  }),
);
const extras = fc.dictionary(
  fc.constantFrom("created_at", "model", "progress", "eta", "meta", "webhook"),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

type Kind = "success" | "failure" | "between";

function statusAnswer(id: ProviderId) {
  const shape = SHAPES[id];
  const state = fc.oneof(
    anyCase(shape.success).map((s) => ({ kind: "success" as Kind, state: s })),
    fc
      .constantFrom(...shape.failures, "failed", "Failure", "CANCELED", "cancelled", "ERROR")
      .chain(anyCase)
      .map((s) => ({ kind: "failure" as Kind, state: s })),
    fc.constantFrom(...shape.between).map((s) => ({ kind: "between" as Kind, state: s })),
  );
  return fc
    .record({ state, idKey: fc.constantFrom(...shape.ids), urls, error: errorValue, extras })
    .map(({ state: { kind, state: name }, idKey, urls: found, error, extras: more }) => {
      const task: Record<string, unknown> = { ...more, [idKey]: "job-1", status: name };
      if (kind === "success") Object.assign(task, shape.result(found));
      if (kind === "failure" && error !== undefined) task.error = error;
      return { kind, body: JSON.stringify(shape.wrap(task)) };
    });
}

describe.each(PROVIDERS)("%s read plausible answers", (id) => {
  it("every documented terminal state ends the job; every other state keeps it running", async () => {
    await fc.assert(
      fc.asyncProperty(statusAnswer(id), async ({ kind, body }) => {
        const status = await adapter(id, () => ({ status: 200, body })).getStatus("job-1");
        expect(status.providerJobId).toBe("job-1");
        if (kind === "success") {
          expect(status.state).toBe("succeeded");
          if (status.state === "succeeded") expect(status.outputs.length).toBeGreaterThan(0);
        } else if (kind === "failure") {
          expect(status.state).toBe("failed");
        } else {
          expect(["queued", "processing"]).toContain(status.state);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("no answer makes a job run past its deadline", () => {
  let h: LifecycleHarness;
  beforeAll(async () => {
    h = await createLifecycleHarness("pglite");
  });
  afterAll(async () => {
    await h?.close();
  });

  // What a status read may meet: plausible states, refused keys, lost jobs, gateways, nonsense.
  // Only a success or a failure ends the job before its deadline: a refused key, a "not found"
  // right after submit, a gateway error, an unknown state or an unreadable answer do not.
  const pollAnswer = fc.oneof(
    statusAnswer("apiframe").map(({ kind, body }) => ({ ends: kind !== "between", status: 200, body })),
    fc.constantFrom(
      { ends: false, status: 401, body: '{"error":"Unauthorized"}' },
      { ends: false, status: 403, body: "" },
      { ends: false, status: 404, body: '{"error":"Not Found"}' },
      { ends: false, status: 429, body: "" },
      { ends: false, status: 502, body: "<html>Bad Gateway</html>" },
      { ends: false, status: 200, body: '{"jobId":"job-1","status":"WHATEVER"}' },
      { ends: false, status: 200, body: "not json" },
    ),
  );

  it("whatever the reseller answers, the job is terminal at its deadline and credits are conserved", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pollAnswer, { minLength: 1, maxLength: 4 }), async (answers) => {
        let next = 0;
        // Each run's job has an id of its own (the reseller's ids are unique per reseller).
        const jobId = crypto.randomUUID();
        const submitted = { status: 202, body: JSON.stringify({ jobId, status: "QUEUED" }) };
        const fake = adapter("apiframe", () =>
          next === 0 ? submitted : answers[(next - 1) % answers.length]!,
        );
        const registry = createProviderRegistry(config, { providers: { apiframe: fake } });
        const deps = { ...h.deps, registry, config: { ...h.deps.config, webhookBaseUrl: undefined } };
        const user = await makeUser(h.t.db, 5);
        const { generationId } = await submitGeneration(deps, {
          userId: user.id,
          kind: "create",
          prompt: "a lighthouse",
          provider: "apiframe",
        });
        for (next = 1; next <= answers.length; next++) {
          await h.t.db.generation.update({ where: { id: generationId }, data: { nextPollAt: new Date(0) } });
          const due = await leaseIfDue(deps, generationId, "prop");
          if (due) await pollLeasedJob(deps, due, "prop");
        }
        const job = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
        // A refused key pauses status reads of that reseller: the answers after it are never read.
        const refused = answers.findIndex((a) => a.status === 401 || a.status === 403);
        const read = refused === -1 ? answers : answers.slice(0, refused + 1);
        const ends = read.some((a) => a.ends);
        expect(["succeeded", "failed"].includes(job.status)).toBe(ends);
        await sweepStuckJobs(deps, new Date(job.deadlineAt.getTime() + 1));
        const ended = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
        expect(["succeeded", "failed"]).toContain(ended.status);
        const balance = (await h.t.db.user.findUniqueOrThrow({ where: { id: user.id } })).credits;
        expect(balance).toBe(ended.status === "succeeded" ? 4 : 5);
      }),
      { numRuns: 25 },
    );
  });
});
