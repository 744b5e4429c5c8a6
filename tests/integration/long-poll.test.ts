import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as ActiveRoute from "@/app/api/generations/active/route";
import type * as StatusRoute from "@/app/api/generations/[id]/route";
import type { GenerationDto } from "@/lib/dto";
import type { ActiveJobsDto } from "@/lib/live-query";
import { createPrismaClient, setDb } from "@/server/db/client";
import { closeListeners } from "@/server/db/listen";
import { endAllWaits, openWaitCount } from "@/server/generations/changes";
import { setLifecycleDeps } from "@/server/generations/deps";
import { failGeneration } from "@/server/generations/failure";
import { applyProviderUpdate } from "@/server/generations/reconcile";
import { submitGeneration } from "@/server/generations/submit";

import { makeUser } from "../helpers/app-db";
import type { LifecycleHarness } from "../helpers/lifecycle";
import { createLifecycleHarness } from "../helpers/lifecycle";
import { signInAs } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type DbKind } from "../helpers/test-db";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

// Long polls of the status and active-jobs routes. Nothing here races a clock: a wait that must end
// early is given 25 s and has to end on the change long before; a wait that must run out is given
// 1 s on a job nothing will touch.

const HOUR = 3_600_000;

/**
 * A lifecycle whose jobs move only when a test moves them (no webhooks, polls an hour apart), and
 * the status and active-jobs routes read as a tab reads them.
 */
function quietRoutes(kind: DbKind) {
  const ctx = {} as { h: LifecycleHarness; GET: typeof StatusRoute.GET; ACTIVE: typeof ActiveRoute.GET };
  beforeAll(async () => {
    ctx.h = await createLifecycleHarness(kind, {
      config: { webhookBaseUrl: undefined, pollMinMs: HOUR, pollMaxMs: HOUR },
    });
    setDb(ctx.h.t.db);
    setLifecycleDeps(ctx.h.deps);
    ({ GET: ctx.GET } = await import("@/app/api/generations/[id]/route"));
    ({ GET: ctx.ACTIVE } = await import("@/app/api/generations/active/route"));
  });
  afterAll(async () => {
    if (ctx.h) await assertLedgerConserved(ctx.h.t.db);
    await ctx.h?.close();
  });
  const read = async (id: string, query = "") => {
    const response = await ctx.GET(new Request(`http://local/api/generations/${id}${query}`), {
      params: Promise.resolve({ id }),
    });
    return {
      status: response.status,
      body: (await response.json()) as GenerationDto & { error?: { message: string } },
    };
  };
  const active = async (query = "") => {
    const response = await ctx.ACTIVE(new Request(`http://local/api/generations/active${query}`), {
      params: Promise.resolve({}),
    });
    return {
      status: response.status,
      body: (await response.json()) as ActiveJobsDto & { error?: { message: string } },
    };
  };
  return { ctx, read, active };
}

/** Resolves once `n` requests are waiting for a change (the wait is really held, not yet read). */
async function waitersHeld(n: number) {
  await vi.waitFor(() => expect(openWaitCount()).toBeGreaterThanOrEqual(n), {
    timeout: 20_000,
    interval: 10,
  });
}

describe.each(DB_KINDS)("long polls on %s", (kind) => {
  const { ctx, read, active } = quietRoutes(kind);

  const submitIdle = async (userId: string, prompt = "waits [emu:never]") => {
    const { generationId } = await submitGeneration(ctx.h.deps, {
      userId,
      kind: "create",
      prompt,
      provider: "reveart",
    });
    const job = await ctx.h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    return { id: generationId, providerJobId: job.providerJobId! };
  };

  it("answers a long poll as soon as the job changes", async () => {
    const user = await makeUser(ctx.h.t.db, 5);
    const job = await submitIdle(user.id);
    signInAs(user);
    const before = (await read(job.id)).body.status;
    expect(before).toBe("queued");
    const started = Date.now();
    const pending = read(job.id, "?wait=25&since=queued");
    await waitersHeld(1);
    await applyProviderUpdate(ctx.h.deps, job.id, { state: "processing", providerJobId: job.providerJobId });
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("processing");
    // Woken by the change, not by the end of the 25 s wait.
    expect(Date.now() - started).toBeLessThan(20_000);
    await failGeneration(ctx.h.deps, job.id, "provider_error");
  });

  it("answers unchanged when the wait ends, and at once for a status the caller does not have", async () => {
    const user = await makeUser(ctx.h.t.db, 5);
    const job = await submitIdle(user.id);
    signInAs(user);
    const started = Date.now();
    const answer = await read(job.id, "?wait=1");
    expect(answer.body.status).toBe("queued");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    // The caller shows "submitting": the job has moved on, so there is nothing to wait for.
    const behind = Date.now();
    expect((await read(job.id, "?wait=25&since=submitting")).body.status).toBe("queued");
    expect(Date.now() - behind).toBeLessThan(20_000);
    await failGeneration(ctx.h.deps, job.id, "provider_error");
  });

  it("refuses a wait or a since it cannot read, with a clear message", async () => {
    const user = await makeUser(ctx.h.t.db, 5);
    const job = await submitIdle(user.id);
    signInAs(user);
    for (const query of ["?wait=26", "?wait=-1", "?wait=abc", "?wait=1.5", "?wait="]) {
      const answer = await read(job.id, query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error?.message).toMatch(/wait is a whole number of seconds from 0 to 25/);
    }
    expect((await read(job.id, "?since=finished")).status).toBe(400);
    for (const query of ["?cursor=abc", "?cursor=1.ZZZZZZZZZZZZZZZZ", "?wait=99"]) {
      expect((await active(query)).status, query).toBe(400);
    }
    await failGeneration(ctx.h.deps, job.id, "provider_error");
  });

  it("lists only the user's running jobs, long-polls them together and hands over the ended one", async () => {
    const user = await makeUser(ctx.h.t.db, 10);
    const other = await makeUser(ctx.h.t.db, 10);
    const a = await submitIdle(user.id);
    const b = await submitIdle(user.id);
    const foreign = await submitIdle(other.id, "someone else's [emu:never]");
    signInAs(user);
    const first = await active("?wait=25");
    // Without a cursor there is nothing to compare with: the answer comes at once.
    expect(first.status).toBe(200);
    expect(first.body.jobs.map((j) => j.id).sort()).toEqual([a.id, b.id].sort());
    expect(JSON.stringify(first.body)).not.toContain(foreign.id);

    const started = Date.now();
    const pending = active(`?wait=25&cursor=${first.body.cursor}`);
    await waitersHeld(1);
    await failGeneration(ctx.h.deps, b.id, "provider_error");
    const next = await pending;
    expect(Date.now() - started).toBeLessThan(20_000);
    const byId = new Map(next.body.jobs.map((j) => [j.id, j]));
    expect(byId.get(a.id)?.status).toBe("queued");
    expect(byId.get(b.id)?.status).toBe("failed");
    expect(byId.has(foreign.id)).toBe(false);

    // Unchanged since the last cursor: the wait runs out and the answer is the same set.
    const quiet = await active(`?wait=1&cursor=${next.body.cursor}`);
    expect(quiet.body.jobs.find((j) => j.id === a.id)?.status).toBe("queued");
    for (const id of [a.id, foreign.id]) await failGeneration(ctx.h.deps, id, "provider_error");
  });
});

// Two instances are two processes, each with its own pool and LISTEN connection; PGlite has one.
describe.each(DB_KINDS.filter((k) => k === "postgres"))("long polls across connections on %s", (kind) => {
  const { ctx, read } = quietRoutes(kind);

  it("a change committed through another connection wakes a wait held on this one within a second", async () => {
    // A second client with its own pool and its own LISTEN connection, as another instance has.
    const other = createPrismaClient({ databaseUrl: ctx.h.t.url! });
    try {
      const user = await makeUser(ctx.h.t.db, 5);
      const { generationId: id } = await submitGeneration(ctx.h.deps, {
        userId: user.id,
        kind: "create",
        prompt: "finished elsewhere [emu:never]",
        provider: "reveart",
      });
      const job = { id };
      signInAs(user);
      let answeredAt = 0;
      const pending = read(job.id, "?wait=25&since=queued").then((r) => {
        answeredAt = Date.now();
        return r;
      });
      await waitersHeld(1);
      await failGeneration({ db: other }, job.id, "provider_error");
      const committedAt = Date.now();
      const answer = await pending;
      expect(answer.body.status).toBe("failed");
      console.info(
        `[${kind}] commit on one client → long poll on another answered: ${answeredAt - committedAt} ms`,
      );
      expect(answeredAt - committedAt).toBeLessThan(1_000);
    } finally {
      await closeListeners(other);
      await other.$disconnect();
    }
  });
});

describe("shutdown", () => {
  const { ctx, read } = quietRoutes("pglite");

  it("ends every open wait at once and answers it", async () => {
    const user = await makeUser(ctx.h.t.db, 5);
    const { generationId: id } = await submitGeneration(ctx.h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "held at shutdown [emu:never]",
      provider: "reveart",
    });
    signInAs(user);
    const started = Date.now();
    const pending = read(id, "?wait=25");
    await waitersHeld(1);
    endAllWaits();
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("queued");
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(openWaitCount()).toBe(0);
    await failGeneration(ctx.h.deps, id, "provider_error");
  });
});
