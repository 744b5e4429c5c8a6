import "server-only";

import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";

import { closedDays, firstOpenDay } from "./overview-days";
import { addDay, bucketQuantile, DAY_MS, emptyDay, readDays } from "./overview-figures";

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
  /** Read from the merged time-to-result buckets: within one bucket of the exact figure. */
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

/**
 * The studio's figures over the window: its closed whole days from their stored figures
 * (overview-days.ts), the partial first day and the open days from the rows. A window's cost
 * follows the days it spans, not the rows they hold. Times to result come from merged buckets,
 * so p50 and p95 are within one bucket of the exact figure (TIME_BUCKETS).
 */
export async function getOverview(window: OverviewWindow, now = new Date()): Promise<Overview> {
  const db = getDb();
  const since = new Date(now.getTime() - WINDOWS[window] * DAY_MS);
  const firstWhole = Math.ceil(since.getTime() / DAY_MS);
  const firstOpen = Math.max(firstWhole, firstOpenDay(now));
  const raw =
    firstOpen > firstWhole
      ? [
          { from: since, to: new Date(firstWhole * DAY_MS) },
          { from: new Date(firstOpen * DAY_MS), to: null },
        ]
      : [{ from: since, to: null }];
  const [closed, open] = await Promise.all([closedDays(db, firstWhole, firstOpen), readDays(db, raw)]);
  const days = [...closed, ...open].sort(([a], [b]) => a - b);
  const total = days.reduce((sum, [, day]) => addDay(sum, day), emptyDay());
  const sum = (...reasons: string[]) => reasons.reduce((n, reason) => n + (total.ledger[reason] ?? 0), 0);
  const resellers: ResellerFigures[] = Object.entries(total.resellers)
    .map(([label, r]) => ({
      label,
      total: r.total,
      succeeded: r.succeeded,
      failed: r.failed,
      successRate: r.succeeded + r.failed > 0 ? r.succeeded / (r.succeeded + r.failed) : null,
      failovers: r.failovers,
      p50Seconds: bucketQuantile(r.buckets, 0.5),
      p95Seconds: bucketQuantile(r.buckets, 0.95),
    }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
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
    jobsByState: Object.entries(total.states)
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
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
    signupsPerDay: days
      .filter(([, day]) => day.signups > 0)
      .map(([day, figures]) => ({
        label: new Date(day * DAY_MS).toISOString().slice(0, 10),
        count: figures.signups,
      })),
  };
}
