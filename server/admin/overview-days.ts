import "server-only";

import { Prisma, type PrismaClient } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { logUnexpected } from "@/server/log";

import { DAY_MS, type DayFigures, emptyDay, readDays, type TimeRange } from "./overview-figures";

// Closed days' figures are stored, one OverviewDay row per UTC day, so that a long window costs the
// days it spans and not the rows they hold. A day is closed once every job created in it is past
// its deadline, with a margin for a sweeper that runs late: its rows no longer change in the normal
// course of things. What still can change them (an operator's refund or fail of a stuck job, a late
// answer, a deleted account, a back-dated import) fires the triggers of the 20261204100000
// migration, which delete the day's row; the next overview computes it again. The rows are computed
// lazily, by the overview that finds them missing.

/** Slack after the longest job deadline before a day counts as closed. */
export const CLOSE_MARGIN_MS = 6 * 3_600_000;

/** Bumped when the stored figures change shape: rows of another version are computed again. */
const FIGURES_VERSION = 1;

/** Same key as the triggers' shared lock (7270737, day): held exclusively while a day is computed. */
const LOCK_CLASS = 7270737;

type Stored = DayFigures & { version: number };

/** The first UTC day (days since 1970-01-01) that is still open at `now`. */
export const firstOpenDay = (now: Date) =>
  Math.floor((now.getTime() - env.JOB_DEADLINE_SECONDS * 1000 - CLOSE_MARGIN_MS) / DAY_MS);

/** Consecutive days as time ranges. */
export function dayRanges(days: number[]): TimeRange[] {
  const ranges: TimeRange[] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last?.to && last.to.getTime() === day * DAY_MS) last.to = new Date((day + 1) * DAY_MS);
    else ranges.push({ from: new Date(day * DAY_MS), to: new Date((day + 1) * DAY_MS) });
  }
  return ranges;
}

const current = (row: { figures: Prisma.JsonValue }) =>
  (row.figures as unknown as Stored | null)?.version === FIGURES_VERSION;

/**
 * The figures of the closed days [from, to): the stored ones, and the missing ones computed and
 * stored now. A day that another process is computing at this moment, or that could not be stored,
 * is read from its rows.
 */
export async function closedDays(
  db: PrismaClient,
  from: number,
  to: number,
): Promise<Map<number, DayFigures>> {
  const figures = new Map<number, DayFigures>();
  if (from >= to) return figures;
  const stored = await db.overviewDay.findMany({ where: { day: { gte: from, lt: to } } });
  for (const row of stored.filter(current)) figures.set(row.day, row.figures as unknown as Stored);
  const missing = Array.from({ length: to - from }, (_, i) => from + i).filter((d) => !figures.has(d));
  if (missing.length === 0) return figures;
  // Storing is an optimisation: should it fail, the days are read from their rows this time.
  const filled = await fillDays(db, missing).catch((error: unknown) => {
    logUnexpected(error, "storing the admin overview's closed days");
    return new Map<number, DayFigures>();
  });
  for (const [day, f] of filled) figures.set(day, f);
  const busy = missing.filter((d) => !filled.has(d));
  if (busy.length > 0) {
    const read = await readDays(db, dayRanges(busy));
    for (const day of busy) figures.set(day, read.get(day) ?? emptyDay());
  }
  return figures;
}

/**
 * Computes and stores the figures of `days`, each under its advisory lock, taken without waiting:
 * a day locked elsewhere (being computed, or a row of it being written) is left out of the result.
 * Safe when several instances do it at once: one computes a day, the others find it stored.
 */
export async function fillDays(db: PrismaClient, days: number[]): Promise<Map<number, DayFigures>> {
  if (days.length === 0) return new Map();
  return db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ day: number }[]>`
        SELECT d AS "day" FROM unnest(ARRAY[${Prisma.join(days)}]::int[]) AS d
        WHERE pg_try_advisory_xact_lock(${LOCK_CLASS}::int, d)`;
      const mine = locked.map((r) => Number(r.day));
      const result = new Map<number, DayFigures>();
      if (mine.length === 0) return result;
      // Another process may have stored some of them between the caller's read and these locks.
      const stored = await tx.overviewDay.findMany({ where: { day: { in: mine } } });
      for (const row of stored.filter(current)) result.set(row.day, row.figures as unknown as Stored);
      const todo = mine.filter((d) => !result.has(d));
      if (todo.length === 0) return result;
      const read = await readDays(tx, dayRanges(todo), { sequential: true });
      const rows = todo.map((day) => {
        const figures: Stored = { ...(read.get(day) ?? emptyDay()), version: FIGURES_VERSION };
        result.set(day, figures);
        return { day, figures: figures as unknown as Prisma.InputJsonObject };
      });
      // Rows of an older shape are replaced; under the locks nothing else writes these days.
      await tx.overviewDay.deleteMany({ where: { day: { in: todo } } });
      await tx.overviewDay.createMany({ data: rows, skipDuplicates: true });
      return result;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
