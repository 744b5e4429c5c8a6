import "server-only";

import { randomUUID } from "node:crypto";

import type { ProviderId } from "@/lib/domain";
import { isProviderError } from "@/server/providers/http-client";
import { logUnexpected } from "@/server/log";

import type { LifecycleDeps } from "./deps";
import { failGeneration } from "./failure";
import { applyProviderUpdate, type ReconcileOutcome } from "./reconcile";

// Asks a provider about one job under a lease: whoever holds the lease polls, everyone else
// (other tabs, other instances) waits for the next due time. No loop lives in a request.

/** The delay before the next poll: from about 2 s growing to 30 s, with ±20% jitter. */
export function nextPollDelay(attempt: number, minMs: number, maxMs: number, random = Math.random) {
  const base = Math.min(maxMs, minMs * 1.6 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface DueJob {
  id: string;
  provider: string | null;
  providerJobId: string | null;
  pollAttempts: number;
}

/** Leases one job for polling if it is due and no one else holds it. */
export async function leaseIfDue(
  deps: LifecycleDeps,
  generationId: string,
  owner: string,
): Promise<DueJob | null> {
  const rows = await deps.db.$queryRaw<DueJob[]>`
    UPDATE "Generation"
    SET "leaseOwner" = ${owner}, "leaseExpiresAt" = now() + make_interval(secs => ${deps.config.leaseMs / 1000})
    WHERE "id" = ${generationId}
      AND "status" IN ('queued', 'processing')
      AND "nextPollAt" <= now()
      AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
    RETURNING "id", "provider", "providerJobId", "pollAttempts"`;
  return rows[0] ?? null;
}

/** Leases up to `limit` due jobs; SKIP LOCKED keeps several instances from taking the same ones. */
export async function leaseDueJobs(deps: LifecycleDeps, owner: string, limit: number): Promise<DueJob[]> {
  return deps.db.$queryRaw<DueJob[]>`
    UPDATE "Generation"
    SET "leaseOwner" = ${owner}, "leaseExpiresAt" = now() + make_interval(secs => ${deps.config.leaseMs / 1000})
    WHERE "id" IN (
      SELECT "id" FROM "Generation"
      WHERE "status" IN ('queued', 'processing')
        AND "nextPollAt" <= now()
        AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
      ORDER BY "nextPollAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "provider", "providerJobId", "pollAttempts"`;
}

/** Polls a leased job once, reconciles what the provider says, and schedules the next poll. */
export async function pollLeasedJob(
  deps: LifecycleDeps,
  job: DueJob,
  owner: string,
): Promise<ReconcileOutcome> {
  if (!job.provider || !job.providerJobId) {
    await failGeneration(deps, job.id, "submit_failed");
    return "failed";
  }
  let outcome: ReconcileOutcome;
  try {
    const provider = deps.registry.get(job.provider as ProviderId);
    const status = await provider.getStatus(job.providerJobId);
    deps.registry.markHealthy(provider.id);
    outcome = await applyProviderUpdate(deps, job.id, status, { leaseOwner: owner });
  } catch (error) {
    if (isProviderError(error) && !error.retryable) {
      // The provider says this job cannot be read (unknown id, revoked key): it will not finish.
      await failGeneration(deps, job.id, error.code);
      return "failed";
    }
    if (isProviderError(error)) deps.registry.markFailed(error.provider);
    else logUnexpected(error, `polling job ${job.id}`);
    outcome = "unchanged";
  }
  const delay = nextPollDelay(job.pollAttempts + 1, deps.config.pollMinMs, deps.config.pollMaxMs);
  // Releases the lease; a terminal job keeps no poll time.
  await deps.db.generation.updateMany({
    where: { id: job.id, leaseOwner: owner },
    data: {
      leaseOwner: null,
      leaseExpiresAt: null,
      lastPolledAt: new Date(),
      pollAttempts: { increment: 1 },
      nextPollAt: new Date(Date.now() + delay),
    },
  });
  return outcome;
}

/** For the status route: polls the job first if it is due and free, else does nothing. */
export async function pollIfDue(deps: LifecycleDeps, generationId: string): Promise<void> {
  const owner = `${deps.instanceId}:${randomUUID().slice(0, 8)}`;
  const job = await leaseIfDue(deps, generationId, owner);
  if (job) await pollLeasedJob(deps, job, owner);
}
