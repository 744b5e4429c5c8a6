import { afterEach, beforeEach, describe, expect, it } from "vitest";

import type { Overview, OverviewWindow } from "@/server/admin/overview";
import type { PrismaClient } from "@/server/db/generated/client";

import { installAppDb } from "../helpers/app-db";
import { DB_KINDS, type DbKind, type TestDb } from "../helpers/test-db";

// The overview's closed days come from their stored figures (OverviewDay), the rest from the rows.
// Whatever the mix, and whatever changed a closed day since it was stored, the overview must say
// what the rows say: each case below is checked against the same figures computed straight from
// the rows in SQL, independently of the product's code.

const DAY = 86_400_000;

interface RawReseller {
  label: string;
  total: bigint;
  succeeded: bigint;
  failed: bigint;
  failovers: bigint;
  p50: number | null;
  p95: number | null;
}

/** The window's figures from the rows, with nearest-rank percentiles (percentile_disc). */
async function rawFigures(db: PrismaClient, since: Date) {
  const [states, resellers, ledger, signups] = await Promise.all([
    db.$queryRaw<{ status: string; n: bigint }[]>`
      SELECT "status"::text AS "status", count(*) AS "n" FROM "Generation"
      WHERE "createdAt" >= ${since} GROUP BY 1`,
    db.$queryRaw<RawReseller[]>`
      SELECT coalesce("provider", 'none') AS "label", count(*) AS "total",
        count(*) FILTER (WHERE "status" = 'succeeded') AS "succeeded",
        count(*) FILTER (WHERE "status" = 'failed') AS "failed",
        count(*) FILTER (WHERE cardinality("attemptedProviders") > 1) AS "failovers",
        percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt")::float8)
          FILTER (WHERE "status" = 'succeeded' AND "completedAt" IS NOT NULL) AS "p50",
        percentile_disc(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt")::float8)
          FILTER (WHERE "status" = 'succeeded' AND "completedAt" IS NOT NULL) AS "p95"
      FROM "Generation" WHERE "createdAt" >= ${since} GROUP BY 1`,
    db.$queryRaw<{ reason: string; amount: bigint }[]>`
      SELECT "reason"::text AS "reason", sum("amount") AS "amount" FROM "CreditLedgerEntry"
      WHERE "createdAt" >= ${since} GROUP BY 1`,
    db.$queryRaw<{ day: string; n: bigint }[]>`
      SELECT to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS "day", count(*) AS "n"
      FROM "User" WHERE "createdAt" >= ${since} GROUP BY 1 ORDER BY 1`,
  ]);
  const sum = (...reasons: string[]) =>
    ledger.filter((r) => reasons.includes(r.reason)).reduce((n, r) => n + Number(r.amount), 0);
  return {
    states: Object.fromEntries(states.map((r) => [r.status, Number(r.n)])),
    resellers,
    credits: {
      granted: sum("grant", "signup_grant", "voucher"),
      bought: sum("purchase"),
      held: -sum("hold"),
      refunded: sum("refund"),
      spent: -sum("hold") - sum("refund"),
    },
    signupsPerDay: signups.map((r) => ({ label: r.day, count: Number(r.n) })),
  };
}

/** The overview of `window` at `now` says what the rows say: counts exactly, p50/p95 within a bucket. */
async function expectMatchesRows(db: PrismaClient, window: OverviewWindow, now: Date): Promise<Overview> {
  const { getOverview } = await import("@/server/admin/overview");
  const { bucketWidthAt } = await import("@/server/admin/overview-figures");
  const overview = await getOverview(window, now);
  const raw = await rawFigures(db, overview.since);
  expect(Object.fromEntries(overview.jobsByState.map((r) => [r.label, r.count]))).toEqual(raw.states);
  expect(overview.credits).toEqual(raw.credits);
  expect(overview.signupsPerDay).toEqual(raw.signupsPerDay);
  expect(overview.resellers.map((r) => r.label).sort()).toEqual(raw.resellers.map((r) => r.label).sort());
  for (const r of raw.resellers) {
    const shown = overview.resellers.find((o) => o.label === r.label)!;
    expect(shown).toMatchObject({
      total: Number(r.total),
      succeeded: Number(r.succeeded),
      failed: Number(r.failed),
      failovers: Number(r.failovers),
    });
    for (const [estimate, exact] of [
      [shown.p50Seconds, r.p50],
      [shown.p95Seconds, r.p95],
    ] as const) {
      if (exact === null) expect(estimate).toBeNull();
      else expect(Math.abs(estimate! - exact)).toBeLessThanOrEqual(bucketWidthAt(exact));
    }
  }
  return overview;
}

const PROVIDERS = ["pixazo", "apiframe", "reve2img", null] as const;

/** Jobs, ledger rows and sign-ups spread over the `days` before `now`, a few of them each day. */
async function seedHistory(db: PrismaClient, now: Date, days: number) {
  const users = Array.from({ length: days }, (_, d) => ({
    id: `history-user-${d}`,
    email: `history-${d}@example.test`,
    createdAt: new Date(now.getTime() - d * DAY - 3_600_000 * (d % 5)),
  }));
  await db.user.createMany({ data: users });
  const jobs = [];
  const ledger = [];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < 9; i++) {
      const createdAt = new Date(now.getTime() - d * DAY - i * 37 * 60_000 - d * 1_000);
      const provider = PROVIDERS[(i + d) % 4]!;
      const status: "failed" | "processing" | "succeeded" =
        provider === null || i % 7 === 3 ? "failed" : i % 11 === 5 ? "processing" : "succeeded";
      const seconds = 1 + ((i * 13 + d * 7) % 200) + 0.3;
      const id = `history-${d}-${i}`;
      jobs.push({
        id,
        userId: users[d]!.id,
        kind: "create" as const,
        prompt: "history",
        cost: 2,
        status,
        provider,
        attemptedProviders: provider === null ? [] : i % 5 === 0 ? ["apiframe", provider] : [provider],
        createdAt,
        completedAt: status === "processing" ? null : new Date(createdAt.getTime() + seconds * 1000),
        deadlineAt: new Date(createdAt.getTime() + 600_000),
      });
      ledger.push({
        userId: users[d]!.id,
        amount: -2,
        balanceAfter: 0,
        reason: "hold" as const,
        generationId: id,
        idempotencyKey: `hold:${id}`,
        createdAt,
      });
      if (status === "failed")
        ledger.push({
          userId: users[d]!.id,
          amount: 2,
          balanceAfter: 0,
          reason: "refund" as const,
          generationId: id,
          idempotencyKey: `refund:${id}`,
          createdAt: new Date(createdAt.getTime() + 30_000),
        });
    }
    ledger.push({
      userId: users[d]!.id,
      amount: 5 + d,
      balanceAfter: 0,
      reason: d % 2 ? ("purchase" as const) : ("grant" as const),
      idempotencyKey: `history-credit:${d}`,
      createdAt: users[d]!.createdAt,
    });
  }
  await db.generation.createMany({ data: jobs });
  await db.creditLedgerEntry.createMany({ data: ledger });
}

const dayOf = (at: Date) => Math.floor(at.getTime() / DAY);

/** A fresh database for each test of the describe block, installed as the app's. */
function freshDatabaseEach(kind: DbKind) {
  const current = {} as { t: TestDb };
  beforeEach(async () => {
    current.t = await installAppDb(kind);
  });
  afterEach(async () => {
    await current.t?.close();
  });
  return current;
}

describe.each(DB_KINDS)("overview days on %s", (kind: DbKind) => {
  const fresh = freshDatabaseEach(kind);

  it("a window of closed and open days says what the rows say, before and after its days are stored", async () => {
    const { t } = fresh;
    const now = new Date();
    await seedHistory(t.db, now, 35);
    expect(await t.db.overviewDay.count()).toBe(0);

    const first = await expectMatchesRows(t.db, "30d", now);
    // The closed whole days of the window are stored now (28 or 29 of them, by the time of day);
    // the partial first day and the open ones are not.
    const stored = await t.db.overviewDay.findMany({ select: { day: true }, orderBy: { day: "asc" } });
    expect(stored.length).toBeGreaterThanOrEqual(28);
    expect(stored[0]!.day).toBe(Math.ceil((now.getTime() - 30 * DAY) / DAY));
    expect(stored.at(-1)!.day).toBeLessThan(dayOf(now));
    // From the stored days, the same figures.
    expect(await expectMatchesRows(t.db, "30d", now)).toEqual(first);
    await expectMatchesRows(t.db, "7d", now);
    await expectMatchesRows(t.db, "24h", now);
    expect(first.jobsByState.find((r) => r.label === "processing")!.count).toBeGreaterThan(0);
    expect(first.resellers.find((r) => r.label === "pixazo")!.failovers).toBeGreaterThan(0);
  });

  it("a closed day changed later (a late answer, an operator's refund, a deleted account) is counted as it is now", async () => {
    const { t } = fresh;
    const { setLifecycleDeps } = await import("@/server/generations/deps");
    const { installLifecycle } = await import("../security/support/studio");
    const { holdForGeneration } = await import("@/server/credits/ledger");
    const { refundStuckJob } = await import("@/server/admin/job-commands");
    const now = new Date();
    await seedHistory(t.db, now, 10);
    installLifecycle(t.db);
    try {
      // A job five days old that no sweeper ended: still processing, its credits held.
      const owner = await t.db.user.create({ data: { email: "stuck@example.test", credits: 3 } });
      const fiveDaysAgo = new Date(now.getTime() - 5 * DAY);
      const stuck = await t.db.generation.create({
        data: {
          userId: owner.id,
          kind: "create",
          prompt: "stuck",
          cost: 3,
          status: "processing",
          provider: "reveart",
          providerJobId: "img_stuck",
          attemptedProviders: ["reveart"],
          createdAt: fiveDaysAgo,
          submittedAt: fiveDaysAgo,
          deadlineAt: new Date(fiveDaysAgo.getTime() + 600_000),
        },
      });
      await t.db.$transaction((tx) =>
        holdForGeneration(tx, { userId: owner.id, generationId: stuck.id, amount: 3 }),
      );
      const before = await expectMatchesRows(t.db, "7d", now);
      expect(await t.db.overviewDay.count({ where: { day: dayOf(fiveDaysAgo) } })).toBe(1);
      expect(before.resellers.find((r) => r.label === "reveart")!.failed).toBe(0);

      await refundStuckJob("cli:test", stuck.id, "Ticket 7");
      const refunded = await expectMatchesRows(t.db, "7d", now);
      expect(refunded.resellers.find((r) => r.label === "reveart")).toMatchObject({ total: 1, failed: 1 });
      expect(refunded.credits.refunded).toBe(before.credits.refunded + 3);

      // A late success on a closed day moves a job from processing to succeeded.
      const late = await t.db.generation.findFirstOrThrow({
        where: {
          status: "processing",
          createdAt: { lt: new Date(now.getTime() - 3 * DAY), gte: new Date(now.getTime() - 6 * DAY) },
        },
      });
      await t.db.generation.update({
        where: { id: late.id },
        data: { status: "succeeded", completedAt: new Date(late.createdAt.getTime() + 42_000) },
      });
      const answered = await expectMatchesRows(t.db, "7d", now);
      expect(answered.jobsByState.find((r) => r.label === "succeeded")!.count).toBe(
        refunded.jobsByState.find((r) => r.label === "succeeded")!.count + 1,
      );

      // An account deleted with its history: its jobs, credits and sign-up leave every day.
      await t.db.user.delete({ where: { id: "history-user-4" } });
      const deleted = await expectMatchesRows(t.db, "7d", now);
      const jobs = (o: Overview) => o.jobsByState.reduce((n, r) => n + r.count, 0);
      expect(jobs(deleted)).toBe(jobs(answered) - 9);
    } finally {
      setLifecycleDeps(undefined);
    }
  });

  it("two instances storing the same day at once leave one row with the day's figures", async () => {
    const { t } = fresh;
    const { fillDays } = await import("@/server/admin/overview-days");
    const { readDays } = await import("@/server/admin/overview-figures");
    const now = new Date();
    await seedHistory(t.db, now, 6);
    const day = dayOf(now) - 4;
    const [a, b] = await Promise.all([fillDays(t.db, [day]), fillDays(t.db, [day])]);
    const rows = await t.db.overviewDay.findMany({ where: { day } });
    expect(rows).toHaveLength(1);
    const fromRows = (
      await readDays(t.db, [{ from: new Date(day * DAY), to: new Date((day + 1) * DAY) }])
    ).get(day);
    expect(rows[0]!.figures).toMatchObject(JSON.parse(JSON.stringify(fromRows)));
    // Each either computed or found the day, or left it to its caller while the other held it.
    expect(a.has(day) || b.has(day)).toBe(true);
    for (const result of [a, b]) if (result.has(day)) expect(result.get(day)).toEqual(rows[0]!.figures);
    // Overviews at once agree with each other and with the rows.
    const [x, y] = await Promise.all([
      expectMatchesRows(t.db, "7d", now),
      expectMatchesRows(t.db, "7d", now),
    ]);
    expect(x).toEqual(y);
  });
});

// Concurrency proper needs more than one connection: PGlite has one.
describe.each(DB_KINDS.filter((k) => k === "postgres"))(
  "overview days under concurrent writes on %s",
  (kind) => {
    const fresh = freshDatabaseEach(kind);

    it("a day with a write in flight is read from its rows, not stored, until the write commits", async () => {
      const { t } = fresh;
      const { fillDays } = await import("@/server/admin/overview-days");
      const now = new Date();
      await seedHistory(t.db, now, 6);
      const day = dayOf(now) - 3;
      const job = await t.db.generation.findFirstOrThrow({
        where: {
          status: "succeeded",
          createdAt: { gte: new Date(day * DAY), lt: new Date((day + 1) * DAY) },
        },
      });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const writer = t.db.$transaction(async (tx) => {
        await tx.generation.update({ where: { id: job.id }, data: { status: "failed" } });
        written();
        await gate;
      });
      await wrote;
      try {
        expect((await fillDays(t.db, [day])).has(day)).toBe(false);
        expect(await t.db.overviewDay.count({ where: { day } })).toBe(0);
        await expectMatchesRows(t.db, "7d", now);
      } finally {
        release();
        await writer;
      }
      const after = await expectMatchesRows(t.db, "7d", now);
      expect(await t.db.overviewDay.count({ where: { day } })).toBe(1);
      expect(after.jobsByState.find((r) => r.label === "failed")!.count).toBeGreaterThan(0);
    });
  },
);
