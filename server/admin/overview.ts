import "server-only";

import { getDb } from "@/server/db/client";

export const WINDOWS = { "24h": 1, "7d": 7, "30d": 30 } as const;
export type OverviewWindow = keyof typeof WINDOWS;

export const parseWindow = (value: unknown): OverviewWindow =>
  typeof value === "string" && value in WINDOWS ? (value as OverviewWindow) : "24h";

export interface Overview {
  window: OverviewWindow;
  since: Date;
  jobsByState: { label: string; count: number }[];
  jobsByReseller: { label: string; count: number }[];
  credits: { granted: number; bought: number; held: number; refunded: number; spent: number };
  signupsPerDay: { label: string; count: number }[];
}

/** The studio's figures since the start of the window, straight from the database. */
export async function getOverview(window: OverviewWindow, now = new Date()): Promise<Overview> {
  const db = getDb();
  const since = new Date(now.getTime() - WINDOWS[window] * 86_400_000);
  const [byState, byReseller, ledger, signups] = await Promise.all([
    db.generation.groupBy({ by: ["status"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
    db.generation.groupBy({ by: ["provider"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
    db.creditLedgerEntry.groupBy({
      by: ["reason"],
      where: { createdAt: { gte: since } },
      _sum: { amount: true },
    }),
    db.$queryRaw<{ day: string; count: bigint }[]>`
      SELECT to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS "day", count(*) AS "count"
      FROM "User" WHERE "createdAt" >= ${since}
      GROUP BY 1 ORDER BY 1`,
  ]);
  const sum = (...reasons: string[]) =>
    ledger.filter((r) => reasons.includes(r.reason)).reduce((total, r) => total + (r._sum.amount ?? 0), 0);
  const held = -sum("hold");
  const refunded = sum("refund");
  return {
    window,
    since,
    jobsByState: byState
      .map((r) => ({ label: r.status, count: r._count._all }))
      .sort((a, b) => b.count - a.count),
    jobsByReseller: byReseller
      .map((r) => ({ label: r.provider ?? "none", count: r._count._all }))
      .sort((a, b) => b.count - a.count),
    credits: {
      granted: sum("grant", "signup_grant", "voucher"),
      bought: sum("purchase"),
      held,
      refunded,
      spent: held - refunded,
    },
    signupsPerDay: signups.map((r) => ({ label: r.day, count: Number(r.count) })),
  };
}
