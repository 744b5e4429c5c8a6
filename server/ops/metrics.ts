import "server-only";

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

import { ACTIVE_STATUSES, PROVIDER_IDS } from "@/lib/domain";
import { getDb } from "@/server/db/client";

// Prometheus metrics of this process (GET /api/metrics). Counters count what this instance did;
// figures shared by every instance (jobs in flight, poller lag) are gauges read from the database
// at scrape time, so they stay right however many instances run.

interface Metrics {
  registry: Registry;
  submitted: Counter<"reseller" | "operation">;
  succeeded: Counter<"reseller" | "operation">;
  failed: Counter<"reseller" | "operation" | "error_code">;
  failovers: Counter<"from" | "to" | "operation">;
  refunds: Counter<"reason">;
  webhooks: Counter<"reseller" | "outcome">;
  resellerCalls: Histogram<"reseller" | "phase" | "outcome">;
  rateLimitWaits: Histogram<"reseller">;
  rateLimitRefusals: Counter<"reseller">;
}

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: "reve_jobs_in_flight",
    help: "Jobs not yet finished, by state, across every instance (read from the database).",
    labelNames: ["state"],
    registers,
    async collect() {
      const rows = await getDb().generation.groupBy({
        by: ["status"],
        where: { status: { in: [...ACTIVE_STATUSES] } },
        _count: { _all: true },
      });
      for (const state of ACTIVE_STATUSES) {
        this.set({ state }, rows.find((r) => r.status === state)?._count._all ?? 0);
      }
    },
  });
  new Gauge({
    name: "reve_poller_lag_seconds",
    help: "Now minus the oldest nextPollAt that is due, across every instance; 0 when none is due.",
    registers,
    async collect() {
      const now = new Date();
      const oldest = await getDb().generation.aggregate({
        where: { status: { in: [...ACTIVE_STATUSES] }, nextPollAt: { lte: now } },
        _min: { nextPollAt: true },
      });
      const due = oldest._min.nextPollAt;
      this.set(due ? (now.getTime() - due.getTime()) / 1000 : 0);
    },
  });
  return {
    registry,
    submitted: new Counter({
      name: "reve_jobs_submitted_total",
      help: "Jobs this instance accepted and held credits for, by first reseller and operation.",
      labelNames: ["reseller", "operation"],
      registers,
    }),
    succeeded: new Counter({
      name: "reve_jobs_succeeded_total",
      help: "Jobs this instance finished, by reseller and operation.",
      labelNames: ["reseller", "operation"],
      registers,
    }),
    failed: new Counter({
      name: "reve_jobs_failed_total",
      help: "Jobs this instance failed, by reseller, operation and error code.",
      labelNames: ["reseller", "operation", "error_code"],
      registers,
    }),
    failovers: new Counter({
      name: "reve_failovers_total",
      help: "Submits moved to the next reseller after one surely refused the job.",
      labelNames: ["from", "to", "operation"],
      registers,
    }),
    refunds: new Counter({
      name: "reve_refunds_total",
      help: "Holds refunded by this instance, by failure reason.",
      labelNames: ["reason"],
      registers,
    }),
    webhooks: new Counter({
      name: "reve_webhook_deliveries_total",
      help: "Reseller webhook deliveries, accepted or refused (bad token, unknown job, bad body…).",
      labelNames: ["reseller", "outcome"],
      registers,
    }),
    resellerCalls: new Histogram({
      name: "reve_reseller_call_duration_seconds",
      help: "HTTP calls to the resellers by this instance, by phase (submit, status) and outcome (2xx, 4xx, 5xx, timeout, network).",
      labelNames: ["reseller", "phase", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    rateLimitWaits: new Histogram({
      name: "reve_rate_limit_wait_seconds",
      help: "How long this instance waited for an outbound slot under a reseller's shared rate limit.",
      labelNames: ["reseller"],
      buckets: [0, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: "reve_rate_limit_refusals_total",
      help: "Requests this instance gave up on because no outbound slot came within the slot wait.",
      labelNames: ["reseller"],
      registers,
    }),
  };
}

const globalMetrics = globalThis as unknown as { reveMetrics?: Metrics };

/** This process's metrics (one set, kept across module reloads). */
export function metrics(): Metrics {
  return (globalMetrics.reveMetrics ??= create());
}

/** A reseller label that cannot grow without bound: a known reseller id or "unknown". */
export const resellerLabel = (id: string | null | undefined): string =>
  id && (PROVIDER_IDS as readonly string[]).includes(id) ? id : "unknown";

/** Runs one webhook delivery and counts it as accepted, or as refused when it throws. */
export async function countWebhook<T>(reseller: string, handle: () => Promise<T>): Promise<T> {
  try {
    const answer = await handle();
    metrics().webhooks.inc({ reseller: resellerLabel(reseller), outcome: "accepted" });
    return answer;
  } catch (error) {
    metrics().webhooks.inc({ reseller: resellerLabel(reseller), outcome: "refused" });
    throw error;
  }
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ text: string; contentType: string }> {
  const { registry } = metrics();
  return { text: await registry.metrics(), contentType: registry.contentType };
}
