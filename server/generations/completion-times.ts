import "server-only";

import type { Operation } from "@/lib/domain";
import type { PrismaClient } from "@/server/db/generated/client";

import type { LifecycleDeps } from "./deps";
import { type CompletionSample, plannedPollTimes, scheduledPollDelay, WINDOW } from "./poll-schedule";

// The database window of recent completion times per reseller and operation: the last WINDOW jobs'
// `providerMs` and its margin, read at most every few seconds per process, turned into the planned
// poll times.

const FRESH_MS = 10_000;
const plans = new WeakMap<PrismaClient, Map<string, { readAt: number; plan: Promise<number[] | null> }>>();

/** The window: a reseller and operation's last WINDOW completion times, newest first. */
export async function recentCompletions(
  db: PrismaClient,
  provider: string,
  kind: Operation,
): Promise<CompletionSample[]> {
  const rows = await db.generation.findMany({
    where: { provider, kind, providerMs: { not: null } },
    orderBy: { completedAt: "desc" },
    take: WINDOW,
    select: { providerMs: true, providerMsMargin: true },
  });
  return rows.map((r) => ({ ms: r.providerMs!, marginMs: r.providerMsMargin }));
}

export function pollPlan(deps: LifecycleDeps, provider: string, kind: Operation): Promise<number[] | null> {
  let byKey = plans.get(deps.db);
  if (!byKey) plans.set(deps.db, (byKey = new Map()));
  const key = `${provider}:${kind}`;
  const cached = byKey.get(key);
  if (cached && Date.now() - cached.readAt < FRESH_MS) return cached.plan;
  const plan = recentCompletions(deps.db, provider, kind).then(plannedPollTimes);
  byKey.set(key, { readAt: Date.now(), plan });
  plan.catch(() => byKey.delete(key));
  return plan;
}

/** The delay before a job's next poll, timed to its reseller's recent completions. */
export async function timedPollDelay(
  deps: LifecycleDeps,
  job: { provider: string; kind: Operation; submittedAt: Date | null; attempts: number },
): Promise<number> {
  const plan = await pollPlan(deps, job.provider, job.kind);
  return scheduledPollDelay({
    elapsedMs: job.submittedAt ? Date.now() - new Date(job.submittedAt).getTime() : 0,
    attempts: job.attempts,
    plan,
    minMs: deps.config.pollMinMs,
    maxMs: deps.config.pollMaxMs,
  });
}
