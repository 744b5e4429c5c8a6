import "server-only";

import { randomUUID } from "node:crypto";

import type { Operation, ProviderId } from "@/lib/domain";
import { collectAnswers } from "@/server/providers/answers";
import { isProviderError, type ProviderError } from "@/server/providers/http-client";
import { logUnexpected } from "@/server/log";

import { keepAnswers } from "./answers";
import { timedPollDelay } from "./completion-times";
import type { LifecycleDeps } from "./deps";
import { recordEvent } from "./events";
import { failGeneration } from "./failure";
import { holdLeases } from "./lease";
import { applyProviderUpdate, type ReconcileOutcome } from "./reconcile";

// Asks a provider about one job under a lease: whoever holds the lease polls, everyone else
// (other tabs, other instances) waits for the next due time. No loop lives in a request.

export interface DueJob {
  id: string;
  kind: Operation;
  provider: string | null;
  providerJobId: string | null;
  pollAttempts: number;
  submittedAt: Date | null;
}

/** A reseller's store may lag its submit answer: "not found" this soon after is retried. */
export const NOT_FOUND_GRACE_MS = 60_000;

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
    RETURNING "id", "kind", "provider", "providerJobId", "pollAttempts", "submittedAt"`;
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
    RETURNING "id", "kind", "provider", "providerJobId", "pollAttempts", "submittedAt"`;
}

/**
 * Polls a leased job once, reconciles what the provider says, and schedules the next poll.
 * `onAnswered` runs once the provider answered, before the work that follows (a download).
 */
export async function pollLeasedJob(
  deps: LifecycleDeps,
  job: DueJob,
  owner: string,
  onAnswered?: () => void,
): Promise<ReconcileOutcome> {
  if (!job.provider || !job.providerJobId) {
    await failGeneration(deps, job.id, "submit_failed");
    return "failed";
  }
  const provider = deps.registry.get(job.provider as ProviderId);
  const pausedUntil = deps.registry.statusPausedUntil(provider.id);
  if (pausedUntil > 0) {
    await release(deps, job, owner, pausedUntil - Date.now(), false);
    return "unchanged";
  }
  let outcome: ReconcileOutcome = "unchanged";
  let waitMs = 0;
  const run = await collectAnswers(() => provider.getStatus(job.providerJobId!));
  onAnswered?.();
  await keepAnswers(deps, job.id, run.answers);
  await recordEvent(deps.db, job.id, {
    kind: "poll",
    provider: provider.id,
    detail: run.ok && run.result ? `said ${run.result.state}` : `error ${errorCodeOf(run.error)}`,
  });
  if (run.ok && run.result) {
    deps.registry.markHealthy(provider.id);
    deps.registry.resumeStatusReads(provider.id);
    outcome = await applyProviderUpdate(deps, job.id, run.result, { leaseOwner: owner });
  } else if (isProviderError(run.error)) {
    const error = run.error;
    if (error.code === "provider_auth" || error.code === "provider_quota") {
      // A refused key says nothing about the job, which may still finish: keep it (its deadline
      // still ends it) and stop asking that reseller for a while.
      waitMs = deps.registry.pauseStatusReads(provider.id) - Date.now();
    } else if (isNotFound(error) && isRecent(job.submittedAt)) {
      // Retried at the next poll.
    } else if (!error.retryable) {
      // The provider says this job cannot be read (an unknown id): it will not finish.
      await failGeneration(deps, job.id, error.code);
      return "failed";
    } else {
      // Our own outbound limit says nothing about the reseller's health.
      if (error.kind !== "limit") deps.registry.markFailed(error.provider);
      waitMs = error.retryAfterMs ?? 0;
    }
  } else {
    logUnexpected(run.error, `polling job ${job.id}`);
  }
  await release(deps, job, owner, waitMs, true);
  return outcome;
}

const errorCodeOf = (error: unknown) => (isProviderError(error) ? error.code : "unexpected");

function isNotFound(error: ProviderError): boolean {
  return error.httpStatus === 404 || error.upstreamCode === "TASK_NOT_FOUND";
}

function isRecent(submittedAt: Date | null): boolean {
  return submittedAt !== null && Date.now() - new Date(submittedAt).getTime() < NOT_FOUND_GRACE_MS;
}

/** Releases the lease and schedules the next poll; a terminal job keeps no poll time. */
async function release(deps: LifecycleDeps, job: DueJob, owner: string, atLeastMs: number, polled: boolean) {
  const next = job.provider
    ? await timedPollDelay(deps, { ...job, provider: job.provider, attempts: job.pollAttempts + 1 })
    : deps.config.pollMaxMs;
  const delay = Math.max(atLeastMs, next);
  await deps.db.generation.updateMany({
    where: { id: job.id, leaseOwner: owner },
    data: {
      leaseOwner: null,
      leaseExpiresAt: null,
      ...(polled ? { lastPolledAt: new Date(), pollAttempts: { increment: 1 } } : {}),
      nextPollAt: new Date(Date.now() + delay),
    },
  });
}

/** For the status route: polls the job first if it is due and free, else does nothing. */
export async function pollIfDue(deps: LifecycleDeps, generationId: string): Promise<void> {
  const owner = `${deps.instanceId}:${randomUUID().slice(0, 8)}`;
  const job = await leaseIfDue(deps, generationId, owner);
  if (!job) return;
  const hold = holdLeases(deps, owner, [job.id]);
  try {
    await pollLeasedJob(deps, job, owner);
  } finally {
    await hold.stop();
  }
}
