import "server-only";

import { Prisma, type PrismaClient } from "@/server/db/generated/client";

// The overview's figures per UTC day, read from the rows (Generation, CreditLedgerEntry, User) or
// from a closed day's stored copy (overview-days.ts), and added up over a window. Times to result
// are counted in fixed buckets so that the days' counts add up and p50/p95 over any number of days
// come from the merged buckets.

export const DAY_MS = 86_400_000;

/**
 * Lower bounds, in seconds, of the time-to-result buckets after the first ([0 s, 1 s)); the last
 * one is open-ended. 1 s wide up to 10 s, then about a tenth to a fifth of the value.
 */
export const TIME_BUCKETS = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 105, 120, 150,
  180, 210, 240, 300, 360, 420, 480, 600, 900, 1200, 1800, 3600,
] as const;

export interface ResellerDay {
  total: number;
  succeeded: number;
  failed: number;
  /** Jobs that moved on from another reseller before landing here. */
  failovers: number;
  /** Succeeded jobs per time-to-result bucket: index 0 is [0, TIME_BUCKETS[0]), i is [TIME_BUCKETS[i - 1], TIME_BUCKETS[i]). */
  buckets: number[];
}

export interface DayFigures {
  /** Jobs by state. */
  states: Record<string, number>;
  /** Per reseller ("none": jobs no reseller took). */
  resellers: Record<string, ResellerDay>;
  /** Credit movements summed by ledger reason. */
  ledger: Record<string, number>;
  signups: number;
}

/** [from, to) in time; `to` null reaches to the newest row. */
export interface TimeRange {
  from: Date;
  to: Date | null;
}

export const emptyDay = (): DayFigures => ({ states: {}, resellers: {}, ledger: {}, signups: 0 });

const emptyReseller = (): ResellerDay => ({
  total: 0,
  succeeded: 0,
  failed: 0,
  failovers: 0,
  buckets: Array.from({ length: TIME_BUCKETS.length + 1 }, () => 0),
});

/** Adds `day` into `total`. */
export function addDay(total: DayFigures, day: DayFigures): DayFigures {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  };
  add(total.states, day.states);
  add(total.ledger, day.ledger);
  total.signups += day.signups;
  for (const [label, r] of Object.entries(day.resellers)) {
    const into = (total.resellers[label] ??= emptyReseller());
    into.total += r.total;
    into.succeeded += r.succeeded;
    into.failed += r.failed;
    into.failovers += r.failovers;
    r.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + n));
  }
  return total;
}

/**
 * The q-quantile of the counted times, interpolated inside the bucket that holds the job of that
 * rank (as Prometheus' histogram_quantile does): it lies within that bucket, so within one bucket
 * width of the exact nearest-rank figure. The open last bucket gives its lower bound.
 */
export function bucketQuantile(buckets: number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (const [i, n] of buckets.entries()) {
    if (n > 0 && below + n >= rank) {
      const lower = i === 0 ? 0 : TIME_BUCKETS[i - 1]!;
      const upper = TIME_BUCKETS[i];
      return upper === undefined ? lower : lower + ((upper - lower) * (rank - below)) / n;
    }
    below += n;
  }
  return null;
}

/** The width of the bucket `seconds` falls in (Infinity for the open last one). */
export function bucketWidthAt(seconds: number): number {
  const i = TIME_BUCKETS.findIndex((bound) => seconds < bound);
  if (i === -1) return Infinity;
  return TIME_BUCKETS[i]! - (i === 0 ? 0 : TIME_BUCKETS[i - 1]!);
}

type Db = PrismaClient | Prisma.TransactionClient;

const DAY_OF = Prisma.sql`("createdAt"::date - DATE '1970-01-01')`;
const BOUNDS = Prisma.raw(`ARRAY[${TIME_BUCKETS.join(",")}]::float8[]`);
const within = (ranges: TimeRange[]) =>
  Prisma.join(
    ranges.map(({ from, to }) =>
      to
        ? Prisma.sql`("createdAt" >= ${from} AND "createdAt" < ${to})`
        : Prisma.sql`("createdAt" >= ${from})`,
    ),
    " OR ",
  );

interface JobRow {
  day: number;
  status: string;
  provider: string | null;
  bucket: number | null;
  n: bigint;
  failovers: bigint;
}

/**
 * Each UTC day's figures in `ranges`, from the rows (one indexed range scan per table on
 * "createdAt"). Inside a transaction the queries run one after another (`sequential`).
 */
export async function readDays(
  db: Db,
  ranges: TimeRange[],
  { sequential = false } = {},
): Promise<Map<number, DayFigures>> {
  const days = new Map<number, DayFigures>();
  ranges = ranges.filter((r) => r.to === null || r.from < r.to);
  if (ranges.length === 0) return days;
  const where = within(ranges);
  const queries = [
    // Time to result: from the submit to the stored result, for the jobs that succeeded.
    () => db.$queryRaw<JobRow[]>`
      SELECT ${DAY_OF} AS "day", "status"::text AS "status", "provider",
        CASE WHEN "status" = 'succeeded' AND "completedAt" IS NOT NULL
          THEN width_bucket(extract(epoch FROM "completedAt" - "createdAt")::float8, ${BOUNDS}) END AS "bucket",
        count(*) AS "n",
        count(*) FILTER (WHERE cardinality("attemptedProviders") > 1) AS "failovers"
      FROM "Generation" WHERE ${where}
      GROUP BY 1, 2, 3, 4`,
    () => db.$queryRaw<{ day: number; reason: string; amount: bigint | null }[]>`
      SELECT ${DAY_OF} AS "day", "reason"::text AS "reason", sum("amount") AS "amount"
      FROM "CreditLedgerEntry" WHERE ${where}
      GROUP BY 1, 2`,
    () => db.$queryRaw<{ day: number; n: bigint }[]>`
      SELECT ${DAY_OF} AS "day", count(*) AS "n" FROM "User" WHERE ${where} GROUP BY 1`,
  ] as const;
  let results: [
    JobRow[],
    { day: number; reason: string; amount: bigint | null }[],
    { day: number; n: bigint }[],
  ];
  if (sequential) results = [await queries[0](), await queries[1](), await queries[2]()];
  else results = await Promise.all([queries[0](), queries[1](), queries[2]()]);
  const [jobs, ledger, users] = results;
  const dayOf = (day: number) => {
    let figures = days.get(Number(day));
    if (!figures) days.set(Number(day), (figures = emptyDay()));
    return figures;
  };
  for (const row of jobs) {
    const figures = dayOf(row.day);
    const n = Number(row.n);
    figures.states[row.status] = (figures.states[row.status] ?? 0) + n;
    const r = (figures.resellers[row.provider ?? "none"] ??= emptyReseller());
    r.total += n;
    if (row.status === "succeeded") r.succeeded += n;
    if (row.status === "failed") r.failed += n;
    r.failovers += Number(row.failovers);
    if (row.bucket !== null) r.buckets[Number(row.bucket)]! += n;
  }
  for (const row of ledger) {
    const figures = dayOf(row.day);
    figures.ledger[row.reason] = (figures.ledger[row.reason] ?? 0) + Number(row.amount ?? 0);
  }
  for (const row of users) dayOf(row.day).signups += Number(row.n);
  return days;
}
