import "server-only";

import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";

export const WINDOWS = { "24h": 1, "7d": 7, "30d": 30 } as const;
export type OverviewWindow = keyof typeof WINDOWS;

export const parseWindow = (value: unknown): OverviewWindow =>
  typeof value === "string" && value in WINDOWS ? (value as OverviewWindow) : "24h";

export interface Overview {
  window: OverviewWindow;
  since: Date;
  jobsByState: { label: string; count: number }[];
  jobsByReseller: { label: string; count: number }[];
  /** Per reseller that had jobs in the window ("none": jobs no reseller took). */
  resellers: ResellerFigures[];
  /** Estimated money paid to the resellers: finished jobs × each one's unit price, where set. */
  spend: { id: ProviderId; label: string; succeeded: number; unitUsd: number | null; usd: number | null }[];
  credits: { granted: number; bought: number; held: number; refunded: number; spent: number };
  signupsPerDay: { label: string; count: number }[];
}

export interface ResellerFigures {
  label: string;
  total: number;
  succeeded: number;
  failed: number;
  /** Succeeded over finished (succeeded + failed), or null with none finished. */
  successRate: number | null;
  /** Jobs that moved on from another reseller before landing here. */
  failovers: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
}

/** Unit prices per reseller in US dollars (PRICE_USD_*), undefined where the operator set none. */
export const resellerUnitPrices = (): Record<ProviderId, number | undefined> => ({
  pixazo: env.PRICE_USD_PIXAZO,
  apiframe: env.PRICE_USD_APIFRAME,
  reve2img: env.PRICE_USD_REVE2IMG,
  reveart: env.PRICE_USD_REVEART,
});

interface ResellerRow {
  provider: string | null;
  total: bigint;
  succeeded: bigint;
  failed: bigint;
  failovers: bigint;
  p50: number | null;
  p95: number | null;
}

const seconds = (v: number | null) => (v === null ? null : Number(v));

/** The studio's figures since the start of the window, straight from the database. */
export async function getOverview(window: OverviewWindow, now = new Date()): Promise<Overview> {
  const db = getDb();
  const since = new Date(now.getTime() - WINDOWS[window] * 86_400_000);
  const [byState, byReseller, ledger, signups] = await Promise.all([
    db.generation.groupBy({ by: ["status"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
    // Time to result: from the submit to the stored result, for the jobs that succeeded.
    db.$queryRaw<ResellerRow[]>`
      SELECT "provider",
        count(*) AS "total",
        count(*) FILTER (WHERE "status" = 'succeeded') AS "succeeded",
        count(*) FILTER (WHERE "status" = 'failed') AS "failed",
        count(*) FILTER (WHERE cardinality("attemptedProviders") > 1) AS "failovers",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt"))
          FILTER (WHERE "status" = 'succeeded' AND "completedAt" IS NOT NULL) AS "p50",
        percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt"))
          FILTER (WHERE "status" = 'succeeded' AND "completedAt" IS NOT NULL) AS "p95"
      FROM "Generation" WHERE "createdAt" >= ${since}
      GROUP BY "provider"`,
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
  const resellers: ResellerFigures[] = byReseller
    .map((r) => {
      const succeeded = Number(r.succeeded);
      const failed = Number(r.failed);
      return {
        label: r.provider ?? "none",
        total: Number(r.total),
        succeeded,
        failed,
        successRate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
        failovers: Number(r.failovers),
        p50Seconds: seconds(r.p50),
        p95Seconds: seconds(r.p95),
      };
    })
    .sort((a, b) => b.total - a.total);
  const prices = resellerUnitPrices();
  const spend = PROVIDER_IDS.map((id) => {
    const succeeded = resellers.find((r) => r.label === id)?.succeeded ?? 0;
    const unitUsd = prices[id] ?? null;
    return {
      id,
      label: PROVIDER_LABELS[id],
      succeeded,
      unitUsd,
      usd: unitUsd === null ? null : Math.round(unitUsd * succeeded * 100) / 100,
    };
  });
  const held = -sum("hold");
  const refunded = sum("refund");
  return {
    window,
    since,
    jobsByState: byState
      .map((r) => ({ label: r.status, count: r._count._all }))
      .sort((a, b) => b.count - a.count),
    jobsByReseller: resellers.map((r) => ({ label: r.label, count: r.total })),
    resellers,
    spend,
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
