import "server-only";

import { randomUUID } from "node:crypto";

import { isTerminal } from "@/lib/domain";
import type { Prisma } from "@/server/db/generated/client";
import { getDb } from "@/server/db/client";
import { getLifecycleDeps } from "@/server/generations/deps";
import { addEvent } from "@/server/generations/events";
import { failGeneration, type FailureReason } from "@/server/generations/failure";
import { leaseIfDue, pollLeasedJob } from "@/server/generations/poll";

import { writeAudit } from "./audit";
import { AdminCommandError } from "./errors";

// The operator's actions on one job. Each goes through the lifecycle's own idempotent paths (the
// failure that refunds at most once, the leased poll), so a webhook, the poller or the sweeper
// racing an operator can never refund twice; each writes an audit row and a timeline event.

async function jobOrRefuse(id: string) {
  const job = await getDb().generation.findUnique({
    where: { id },
    select: { id: true, userId: true, status: true, deadlineAt: true, provider: true },
  });
  if (!job) throw new AdminCommandError(`No job has the id ${id}.`);
  return job;
}

const alreadyEnded = (status: string) =>
  new AdminCommandError(
    `The job already ${status === "failed" ? "failed (and was refunded then)" : "succeeded"}; nothing was changed.`,
  );

/** Refunds a job past its deadline, exactly as the sweeper would (which it simply anticipates). */
export async function refundStuckJob(operator: string, id: string, reason?: string, now = new Date()) {
  const job = await jobOrRefuse(id);
  if (isTerminal(job.status)) throw alreadyEnded(job.status);
  if (job.deadlineAt > now)
    throw new AdminCommandError(
      `The job is not past its deadline (${job.deadlineAt.toISOString()}). Poll it now, or fail it if you know it is lost.`,
    );
  return endJob(operator, job, "deadline", "job_refund", "operator_refund", reason);
}

/** Fails and refunds a job the operator knows the reseller lost, whatever its deadline. */
export async function failLostJob(operator: string, id: string, reason: string) {
  const job = await jobOrRefuse(id);
  if (isTerminal(job.status)) throw alreadyEnded(job.status);
  return endJob(operator, job, "lost", "job_fail", "operator_fail", reason);
}

async function endJob(
  operator: string,
  job: { id: string; userId: string; status: string },
  failure: FailureReason,
  action: "job_refund" | "job_fail",
  event: "operator_refund" | "operator_fail",
  reason: string | undefined,
) {
  const record = async (tx: Prisma.TransactionClient, refunded: boolean) => {
    await addEvent(tx, job.id, { kind: event, detail: `by ${operator}${reason ? `: ${reason}` : ""}` });
    await writeAudit(tx, {
      actor: operator,
      action,
      targetUserId: job.userId,
      before: { generationId: job.id, status: job.status },
      after: { generationId: job.id, status: "failed", errorCode: failure, refunded },
      reason,
    });
  };
  const ended = await failGeneration(getLifecycleDeps(), job.id, failure, undefined, {
    alsoInTransaction: record,
  });
  if (!ended)
    throw new AdminCommandError(
      "The job ended meanwhile (a poll, a webhook or the sweeper); nothing was changed.",
    );
  const refund = await getDb().creditLedgerEntry.findFirst({
    where: { generationId: job.id, reason: "refund" },
    select: { amount: true },
  });
  return { id: job.id, status: "failed", errorCode: failure, refunded: refund?.amount ?? 0 };
}

/** Asks the job's reseller now, under the job's lease, and reconciles its answer. */
export async function pollJobNow(operator: string, id: string) {
  const job = await jobOrRefuse(id);
  if (job.status !== "queued" && job.status !== "processing")
    throw new AdminCommandError(`Only a queued or processing job can be polled; this one is ${job.status}.`);
  const deps = getLifecycleDeps();
  await deps.db.generation.updateMany({
    where: { id, status: { in: ["queued", "processing"] } },
    data: { nextPollAt: new Date() },
  });
  const owner = `${deps.instanceId}:operator:${randomUUID().slice(0, 8)}`;
  const leased = await leaseIfDue(deps, id, owner);
  if (!leased)
    throw new AdminCommandError("The job is being polled or finished right now; reload in a few seconds.");
  const outcome = await pollLeasedJob(deps, leased, owner);
  const after = await jobOrRefuse(id);
  await deps.db.$transaction(async (tx) => {
    await addEvent(tx, id, {
      kind: "operator_poll",
      provider: job.provider,
      detail: `by ${operator}: ${outcome}`,
    });
    await writeAudit(tx, {
      actor: operator,
      action: "job_poll",
      targetUserId: job.userId,
      before: { generationId: id, status: job.status },
      after: { generationId: id, status: after.status, outcome },
    });
  });
  return { id, outcome, status: after.status };
}
