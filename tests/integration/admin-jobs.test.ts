import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { getBalance, holdForGeneration } from "@/server/credits/ledger";
import { setDb } from "@/server/db/client";
import { setLifecycleDeps } from "@/server/generations/deps";
import { recordEvent } from "@/server/generations/events";
import { failGeneration } from "@/server/generations/failure";
import { applyProviderUpdate } from "@/server/generations/reconcile";
import { submitGeneration } from "@/server/generations/submit";
import { sweepStuckJobs } from "@/server/generations/sweep";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, waitForTerminal, type LifecycleHarness } from "../helpers/lifecycle";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

// The operator's job console: the list's filters and pages, a job's timeline, and the actions on a
// job, each of which ends or polls it at most once however the lifecycle races it.

interface ActionAnswer {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

describe.each(DB_KINDS)("admin jobs on %s", (kind) => {
  let h: LifecycleHarness;
  let refusing: { url: string; close: () => Promise<void> };
  let admin: { id: string; email: string | null };

  beforeAll(async () => {
    // Apiframe, first in Auto's order for create, refuses every submit for want of balance.
    const server = createServer((_req, res) => {
      res.writeHead(402, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Payment Required", message: "Not enough credits." }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    refusing = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
    h = await createLifecycleHarness(kind, { baseUrls: { apiframe: refusing.url } });
    setDb(h.t.db);
    setLifecycleDeps(h.deps);
    admin = await h.t.db.user.create({
      data: { email: `admin-${crypto.randomUUID()}@example.test`, role: "admin" },
    });
  });
  afterAll(async () => {
    signOutAll();
    setLifecycleDeps(undefined);
    if (h) await assertLedgerConserved(h.t.db);
    await h?.close();
    await refusing?.close();
  });

  const actions = async () => ({
    refund: (await import("@/server/actions/admin-refund-job")).adminRefundJob as (
      i: unknown,
    ) => Promise<ActionAnswer>,
    poll: (await import("@/server/actions/admin-poll-job")).adminPollJob as (
      i: unknown,
    ) => Promise<ActionAnswer>,
    fail: (await import("@/server/actions/admin-fail-job")).adminFailJob as (
      i: unknown,
    ) => Promise<ActionAnswer>,
  });

  /** A job the lifecycle left running, with its credits held, as a crash or a silent reseller would. */
  async function seedRunningJob(
    userId: string,
    options: { deadlineAt: Date; status?: "queued" | "processing" },
  ) {
    const job = await h.t.db.generation.create({
      data: {
        userId,
        kind: "create",
        status: options.status ?? "processing",
        prompt: "a lost job",
        cost: 3,
        provider: "reveart",
        providerJobId: `img_${crypto.randomUUID()}`,
        submittedAt: new Date(),
        deadlineAt: options.deadlineAt,
        nextPollAt: new Date(Date.now() + 3_600_000),
      },
    });
    await h.t.db.$transaction((tx) => holdForGeneration(tx, { userId, generationId: job.id, amount: 3 }));
    return job;
  }

  const refundRows = (generationId: string) =>
    h.t.db.creditLedgerEntry.count({ where: { generationId, reason: "refund" } });

  it("a job's timeline tells the submit, the failover and why, its polls folded into few rows, and the end", async () => {
    const user = await makeUser(h.t.db, 10);
    const { generationId } = await submitGeneration(h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "a red fox",
      provider: "auto",
    });
    const job = await waitForTerminal(h.deps, generationId);
    expect(job.status).toBe("succeeded");

    const { getJobForAdmin } = await import("@/server/admin/jobs");
    const found = (await getJobForAdmin(generationId))!;
    const kinds = found.events.map((e) => e.kind);
    expect(kinds[0]).toBe("submitted");
    expect(kinds.at(-1)).toBe("succeeded");
    const failover = found.events.find((e) => e.kind === "failover")!;
    expect(failover.provider).toBe("apiframe");
    expect(failover.detail).toContain("provider_quota");
    expect(failover.detail).toContain(`Moved on to ${job.provider}`);
    const accepted = found.events.find((e) => e.kind === "accepted")!;
    expect(accepted.provider).toBe(job.provider);
    expect(kinds.indexOf("failover")).toBeLessThan(kinds.indexOf("accepted"));
    // The raw answers of both resellers, and the job's one hold.
    expect(found.answers.some((a) => a.provider === "apiframe" && a.httpStatus === 402)).toBe(true);
    expect(found.ledger.map((l) => l.reason)).toEqual(["hold"]);
    // A page shows the same story.
    signInAs(admin);
    const Page = (await import("@/app/admin/jobs/[id]/page")).default;
    const html = renderToStaticMarkup(
      (await Page({ params: Promise.resolve({ id: generationId }) })) as ReactElement,
    );
    expect(html).toContain("Moved on to the next reseller");
    expect(html).toContain("Not enough credits.");
    expect(html).toContain("Succeeded");
  });

  it("a job failed by its reseller ends with the failure and the refund, and keeps what the reseller said", async () => {
    const user = await makeUser(h.t.db, 10);
    const { generationId } = await submitGeneration(h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "a castle [emu:fail]",
      provider: "reveart",
    });
    expect((await waitForTerminal(h.deps, generationId)).status).toBe("failed");
    const { getJobForAdmin } = await import("@/server/admin/jobs");
    const found = (await getJobForAdmin(generationId))!;
    expect(found.events.map((e) => e.kind).slice(-2)).toEqual(["failed", "refunded"]);
    expect(found.events.some((e) => e.kind === "poll" || e.kind === "webhook")).toBe(true);
    expect(found.answers.length).toBeGreaterThan(0);
    expect(found.ledger.map((l) => [l.reason, l.amount])).toEqual([
      ["hold", -1],
      ["refund", 1],
    ]);
  });

  it("repeated polls with the same answer keep one row with a count, so a long job stays small", async () => {
    const user = await makeUser(h.t.db, 10);
    const job = await seedRunningJob(user.id, { deadlineAt: new Date(Date.now() + 600_000) });
    for (let i = 0; i < 40; i++)
      await recordEvent(h.t.db, job.id, { kind: "poll", provider: "reveart", detail: "said processing" });
    await recordEvent(h.t.db, job.id, { kind: "webhook", provider: "reveart", detail: "said processing" });
    await recordEvent(h.t.db, job.id, { kind: "poll", provider: "reveart", detail: "said processing" });
    const rows = await h.t.db.generationEvent.findMany({
      where: { generationId: job.id },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.kind, r.count])).toEqual([
      ["poll", 40],
      ["webhook", 1],
      ["poll", 1],
    ]);
    expect(rows[0]!.lastAt.getTime()).toBeGreaterThanOrEqual(rows[0]!.createdAt.getTime());
    await failGeneration(h.deps, job.id, "lost");
  });

  it("the list filters by state, reseller, user, window and error code, and pages stably through ties", async () => {
    const { listJobs, jobFilterSchema } = await import("@/server/admin/jobs");
    const one = await makeUser(h.t.db, 0, `list-one-${crypto.randomUUID()}@example.test`);
    const two = await makeUser(h.t.db, 0);
    // A window of its own in the past, so other tests' jobs stay out of it.
    const base = Date.UTC(2021, 0, 1);
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    const seed = (
      userId: string,
      minutes: number,
      status: "succeeded" | "failed",
      provider: string,
      errorCode?: string,
    ) =>
      h.t.db.generation.create({
        data: {
          userId,
          kind: "create",
          status,
          prompt: "p",
          cost: 0,
          provider,
          errorCode,
          createdAt: at(minutes),
          deadlineAt: at(minutes + 10),
        },
        select: { id: true, createdAt: true },
      });
    const seeded = [
      await seed(one.id, 1, "succeeded", "pixazo"),
      await seed(one.id, 2, "failed", "pixazo", "provider_error"),
      await seed(two.id, 2, "failed", "apiframe", "content_policy"),
      await seed(two.id, 2, "succeeded", "reveart"),
      await seed(one.id, 3, "failed", "reve2img", "provider_error"),
      await seed(two.id, 4, "succeeded", "pixazo"),
      await seed(one.id, 5, "succeeded", "reveart"),
    ];
    const newestFirst = [...seeded]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((j) => j.id);
    const window = { since: at(0).toISOString(), until: at(60).toISOString() };
    const list = async (filter: Record<string, string>) =>
      (await listJobs(jobFilterSchema.parse({ ...window, ...filter }))).items.map((j) => j.id);

    expect(await list({})).toEqual(newestFirst);
    // Pages of two, each from the last page's cursor: every job once, in order, across the tie at minute 2.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listJobs>> = await listJobs(
        jobFilterSchema.parse({ ...window, take: "2", cursor: cursor ?? "" }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(newestFirst);

    const idsOf = (indexes: number[]) =>
      newestFirst.filter((id) => indexes.some((i) => seeded[i]!.id === id));
    expect(await list({ state: "failed" })).toEqual(idsOf([1, 2, 4]));
    expect(await list({ reseller: "pixazo" })).toEqual(idsOf([0, 1, 5]));
    expect(await list({ error: "provider_error" })).toEqual(idsOf([1, 4]));
    expect(await list({ user: one.email!.toUpperCase() })).toEqual(idsOf([0, 1, 4, 6]));
    expect(await list({ user: two.id, state: "succeeded" })).toEqual(idsOf([3, 5]));
    expect(await list({ user: "nobody@example.test" })).toEqual([]);
    expect(await list({ since: at(3).toISOString(), until: at(5).toISOString() })).toEqual(idsOf([4, 5]));

    // Bad filters are refused with a message naming the option, never run.
    for (const [bad, message] of [
      [{ state: "lost" }, "--state must be one of"],
      [{ reseller: "midjourney" }, "--reseller must be one of"],
      [{ since: "yesterday" }, "--since must be a date"],
      [{ error: "DROP TABLE" }, "--error must be an error code"],
      [{ cursor: "not-a-cursor" }, "The page cursor is not valid."],
      [{ take: "1000" }, "--take is at most 100"],
    ] as const) {
      const parsed = jobFilterSchema.safeParse(bad);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain(message);
    }
    // The page shows a bad filter's message and an empty list.
    signInAs(admin);
    const Page = (await import("@/app/admin/jobs/page")).default;
    const html = renderToStaticMarkup(
      (await Page({ searchParams: Promise.resolve({ state: "lost" }) })) as ReactElement,
    );
    expect(html).toContain("state must be one of");
    expect(html).toContain("No job matches.");
  });

  it("refunds a job stuck past its deadline exactly once, audited, and refuses one still in time", async () => {
    const { refund } = await actions();
    signInAs(admin);
    const user = await makeUser(h.t.db, 10);
    const stuck = await seedRunningJob(user.id, { deadlineAt: new Date(Date.now() - 1_000) });
    const inTime = await seedRunningJob(user.id, { deadlineAt: new Date(Date.now() + 600_000) });
    expect(await getBalance(h.t.db, user.id)).toBe(4);

    const early = await refund({ id: inTime.id, reason: "too soon" });
    expect(early).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(early.error?.message).toContain("not past its deadline");
    expect(await refundRows(inTime.id)).toBe(0);

    const done = await refund({ id: stuck.id, reason: "Ticket 42" });
    expect(done).toEqual({
      ok: true,
      data: { id: stuck.id, status: "failed", errorCode: "deadline", refunded: 3 },
    });
    const again = await refund({ id: stuck.id, reason: "Ticket 42" });
    expect(again).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(again.error?.message).toContain("already failed");
    expect(await refundRows(stuck.id)).toBe(1);
    expect(await getBalance(h.t.db, user.id)).toBe(7);

    const audit = await h.t.db.auditLog.findMany({ where: { targetUserId: user.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        actor: admin.id,
        action: "job_refund",
        reason: "Ticket 42",
        before: { generationId: stuck.id, status: "processing" },
        after: { generationId: stuck.id, status: "failed", errorCode: "deadline", refunded: true },
      }),
    ]);
    const events = await h.t.db.generationEvent.findMany({
      where: { generationId: stuck.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["failed", "refunded", "operator_refund"]);
    await h.t.db.generation.update({ where: { id: inTime.id }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(h.deps);
  });

  it("fails and refunds a lost job once; the user reads why; a finished job is refused", async () => {
    const { fail } = await actions();
    signInAs(admin);
    const user = await makeUser(h.t.db, 10);
    const lost = await seedRunningJob(user.id, {
      deadlineAt: new Date(Date.now() + 600_000),
      status: "queued",
    });

    const noReason = await fail({ id: lost.id });
    expect(noReason).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await refundRows(lost.id)).toBe(0);

    expect(await fail({ id: lost.id, reason: "Reseller confirmed it lost the job" })).toMatchObject({
      ok: true,
      data: { status: "failed", errorCode: "lost", refunded: 3 },
    });
    const row = await h.t.db.generation.findUniqueOrThrow({ where: { id: lost.id } });
    expect(row.errorMessage).toBe("The provider lost this job. Not charged: your credits are back.");
    expect((await fail({ id: lost.id, reason: "again" })).ok).toBe(false);
    expect(await refundRows(lost.id)).toBe(1);
    expect(await getBalance(h.t.db, user.id)).toBe(10);
    expect(await h.t.db.auditLog.count({ where: { targetUserId: user.id, action: "job_fail" } })).toBe(1);
  });

  it("polls a running job now under its lease, audited; a finished job cannot be polled", async () => {
    const { poll } = await actions();
    signInAs(admin);
    const user = await makeUser(h.t.db, 10);
    // The emulator takes a minute over this one, and only polls move it: no webhook comes in time.
    const { generationId } = await submitGeneration(h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "a slow sunrise [emu:slow=60000]",
      provider: "reveart",
    });
    await h.t.db.generation.update({
      where: { id: generationId },
      data: { nextPollAt: new Date(Date.now() + 3_600_000) },
    });
    const before = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    const polled = await poll({ id: generationId });
    expect(polled).toMatchObject({ ok: true, data: { id: generationId } });
    expect(["progressed", "unchanged"]).toContain(polled.data?.outcome);
    const after = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    expect(after.pollAttempts).toBe(before.pollAttempts + 1);
    expect(after.lastPolledAt).not.toBeNull();
    expect(after.leaseOwner).toBeNull();
    const kinds = (
      await h.t.db.generationEvent.findMany({ where: { generationId }, orderBy: { id: "asc" } })
    ).map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(["poll", "operator_poll"]);
    expect(await h.t.db.auditLog.count({ where: { targetUserId: user.id, action: "job_poll" } })).toBe(1);

    const { fail } = await actions();
    expect((await fail({ id: generationId, reason: "end of the test" })).ok).toBe(true);
    const finished = await poll({ id: generationId });
    expect(finished.ok).toBe(false);
    expect(finished.error?.message).toContain("Only a queued or processing job can be polled");
  });

  it("an operator's refund and fail racing the sweeper and a failure webhook refund the job once", async () => {
    const { refund, fail } = await actions();
    signInAs(admin);
    const user = await makeUser(h.t.db, 30);
    for (let round = 0; round < 5; round++) {
      const job = await seedRunningJob(user.id, { deadlineAt: new Date(Date.now() - 1_000) });
      const answers = await Promise.all([
        refund({ id: job.id, reason: `race ${round}` }),
        fail({ id: job.id, reason: `race ${round}` }),
        sweepStuckJobs(h.deps),
        applyProviderUpdate(h.deps, job.id, {
          state: "failed",
          providerJobId: job.providerJobId!,
          failure: {
            code: "provider_error",
            retryable: false,
            message: "The provider could not make this image.",
          },
        }),
        refund({ id: job.id, reason: `race ${round}` }),
      ]);
      const operatorWins = [answers[0], answers[1], answers[4]].filter((a) => a.ok).length;
      expect(operatorWins).toBeLessThanOrEqual(1);
      expect(await refundRows(job.id)).toBe(1);
      expect(await h.t.db.generationEvent.count({ where: { generationId: job.id, kind: "refunded" } })).toBe(
        1,
      );
      const audited = await h.t.db.auditLog.count({
        where: { targetUserId: user.id, action: { in: ["job_refund", "job_fail"] }, reason: `race ${round}` },
      });
      expect(audited).toBe(operatorWins);
    }
    expect(await getBalance(h.t.db, user.id)).toBe(30);
  });

  it("refuses malformed and unknown job ids with a clear message, and its pages answer 404", async () => {
    const { refund, poll, fail } = await actions();
    signInAs(admin);
    for (const run of [refund, poll, fail]) {
      const malformed = await run({ id: "../../etc/passwd", reason: "bad id" });
      expect(malformed).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(malformed.error?.message).toContain("The job id is not valid");
      const unknown = await run({ id: "cl0000000000000000000000", reason: "no such job" });
      expect(unknown).toMatchObject({
        ok: false,
        error: { code: "invalid_input", message: "No job has the id cl0000000000000000000000." },
      });
    }
    const Page = (await import("@/app/admin/jobs/[id]/page")).default;
    for (const id of ["cl0000000000000000000000", "a/b", "x".repeat(200)]) {
      await expect(Page({ params: Promise.resolve({ id }) })).rejects.toMatchObject({
        digest: expect.stringMatching(/;404$/),
      });
    }
  });

  it("a signed-in user who is not an admin gets not-found from every job action and page, and changes nothing", async () => {
    const { refund, poll, fail } = await actions();
    const user = await makeUser(h.t.db, 10);
    const job = await seedRunningJob(user.id, { deadlineAt: new Date(Date.now() - 1_000) });
    signInAs(user);
    for (const run of [refund, poll, fail]) {
      expect(await run({ id: job.id, reason: "my own job" })).toEqual({
        ok: false,
        error: { code: "not_found", message: "Not found." },
      });
    }
    for (const load of [() => import("@/app/admin/jobs/[id]/page"), () => import("@/app/admin/jobs/page")]) {
      const Page = (await load()).default as (props: unknown) => Promise<unknown>;
      await expect(
        Page({ params: Promise.resolve({ id: job.id }), searchParams: Promise.resolve({}) }),
      ).rejects.toMatchObject({ digest: expect.stringMatching(/;404$/) });
    }
    expect(await refundRows(job.id)).toBe(0);
    expect((await h.t.db.generation.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("processing");
    await sweepStuckJobs(h.deps);
    expect(await refundRows(job.id)).toBe(1);
  });
});
