import { useAppDb } from "./support/app-db";

import { randomBytes } from "node:crypto";
import { inspect } from "node:util";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { ProviderId } from "@/lib/domain";

import { makeUser } from "../helpers/app-db";
import { waitForTerminal } from "../helpers/lifecycle";
import { signInAs } from "../helpers/session-mock";
import { assertLedgerConserved, createTestDb, type TestDb } from "../helpers/test-db";
import { SCENARIOS, startHostileReseller, UPSTREAM_PHRASES } from "./support/hostile-reseller";
import { installLifecycle, storeAsset } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

// A reseller that misbehaves in every way it can while carrying secrets: error bodies that quote
// the studio's key (echoing the request headers back), failure reasons and webhook bodies full of
// its own internals. Nothing of any of it may reach the user — the action's result, the job's
// error message, the status route — or the server's log. The build-level half (no secret in
// .next/static, in any response of a running server or in its output) is
// tests/security/built-server.stress.test.ts.

const tag = randomBytes(6).toString("hex");
const KEYS: Record<ProviderId, string> = {
  pixazo: `SENTINEL_KEY_PIXAZO_${tag}`,
  apiframe: `SENTINEL_KEY_APIFRAME_${tag}`,
  reve2img: `SENTINEL_KEY_REVE2IMG_${tag}`,
  reveart: `SENTINEL_KEY_REVEART_${tag}`,
};

describe("secrets and upstream text never reach users or logs", () => {
  let t: TestDb;
  let hostile: Awaited<ReturnType<typeof startHostileReseller>>;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await createTestDb("pglite");
    useAppDb(t.db);
    hostile = await startHostileReseller(KEYS);
    for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
      const original = console[method].bind(console);
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        const text = args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 8 }))).join(" ");
        logged.push(text);
        // The test's own report lines still reach the reader.
        if (method === "info" && text.startsWith("secrets")) original(...args);
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    if (t) await assertLedgerConserved(t.db);
    await hostile?.close();
    await t?.close();
  });

  it("keys and upstream bodies stay out of action results, job messages, the status route and logs", async () => {
    const base = hostile.url;
    const deps = installLifecycle(t.db, {
      env: {
        REVE_EMULATOR: "off",
        PIXAZO_API_KEY: KEYS.pixazo,
        APIFRAME_API_KEY: KEYS.apiframe,
        REVE2IMG_API_KEY: KEYS.reve2img,
        REVE2IMG_CREATE_MODEL: "reve-image",
        REVEART_API_KEY: KEYS.reveart,
        PIXAZO_BASE_URL: `${base}/pixazo`,
        APIFRAME_BASE_URL: `${base}/apiframe`,
        REVE2IMG_BASE_URL: `${base}/reve2img`,
        REVEART_BASE_URL: `${base}/reveart`,
      },
    });
    const { createImage } = await import("@/server/actions/create-image");
    const { editImage } = await import("@/server/actions/edit-image");
    const { receiveWebhook } = await import("@/server/generations/webhook");
    const statusRoute = await import("@/app/api/generations/[id]/route");
    const user = await makeUser(t.db, 500);
    signInAs(user);
    const upload = await storeAsset(t.db, user.id, { kind: "upload" });

    const shown: string[] = [];
    let jobs = 0;
    for (const provider of ["pixazo", "apiframe", "reve2img", "reveart"] as const) {
      for (const scenario of SCENARIOS) {
        const webhooks = provider === "pixazo" || provider === "apiframe";
        if (scenario === "webhookFailed" && !webhooks) continue;
        const prompt = `a lighthouse case:${scenario}`;
        const result =
          provider === "pixazo"
            ? await editImage({ prompt, assetId: upload.id, provider })
            : await createImage({ prompt, provider });
        shown.push(JSON.stringify(result));
        expect(result.ok, `${provider} ${scenario}`).toBe(true);
        if (!result.ok) continue;
        const id = result.data.generationId;
        jobs++;

        if (scenario === "webhookFailed") {
          const { providerJobId } = await t.db.generation.findUniqueOrThrow({ where: { id } });
          const body = hostile.failed(provider, providerJobId!);
          const callback = hostile.callbacks.get(providerJobId!);
          expect(callback, `${provider} got a callback URL`).toBeDefined();
          const receipt = await receiveWebhook(deps, {
            provider,
            generationId: id,
            token: new URL(callback!).searchParams.get("token"),
            rawBody: JSON.stringify(body),
            headers: new Headers({ "content-type": "application/json" }),
          });
          if (!receipt.duplicate) await receipt.apply();
        }
        if (scenario === "status401") {
          // A refused status read never fails a job that may still finish: it runs until its
          // deadline, which the sweeper enforces.
          const { leaseDueJobs, pollLeasedJob } = await import("@/server/generations/poll");
          await t.db.generation.update({ where: { id }, data: { nextPollAt: new Date(0) } });
          for (const due of await leaseDueJobs(deps, "secrets-test", 50))
            if (due.id === id) await pollLeasedJob(deps, due, "secrets-test");
          const running = await t.db.generation.findUniqueOrThrow({ where: { id } });
          expect(running.status, `${provider} ${scenario}`).toMatch(/queued|processing/);
          const { sweepStuckJobs } = await import("@/server/generations/sweep");
          await sweepStuckJobs(deps, new Date(running.deadlineAt.getTime() + 1));
        }
        const job = await waitForTerminal(deps, id, 10_000);
        expect(job.status, `${provider} ${scenario}`).toBe("failed");
        shown.push(job.errorMessage ?? "", job.errorCode ?? "");
        const route = await statusRoute.GET(new Request(`http://localhost/api/generations/${id}`), {
          params: Promise.resolve({ id }),
        });
        shown.push(await route.text(), [...route.headers].join(" "));
      }
    }

    const secrets = [...Object.values(KEYS), hostile.upstream];
    const visible = shown.join("\n");
    const log = logged.join("\n");
    expect(secrets.filter((s) => visible.includes(s))).toEqual([]);
    expect(secrets.filter((s) => log.includes(s))).toEqual([]);
    // Nor any part of them: no 10-character stretch of a secret, no phrase only the reseller wrote,
    // none of the request headers it echoed.
    const fragments = new Set<string>(UPSTREAM_PHRASES);
    for (const secret of secrets)
      for (let i = 0; i + 10 <= secret.length; i++) fragments.add(secret.slice(i, i + 10));
    const quoted = [...fragments].filter((f) => visible.toLowerCase().includes(f.toLowerCase()));
    expect(quoted).toEqual([]);
    console.info(
      `secrets (in-process): ${jobs} jobs through a hostile reseller (${hostile.bodies.length} answers quoting ` +
        `the key and its internals) → 0 of ${secrets.length} secrets and 0 of ${fragments.size} body fragments ` +
        `in ${shown.length} user-visible texts; 0 secrets in ${logged.length} log lines`,
    );
  });
});
