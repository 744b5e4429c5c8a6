import "server-only";

import type { FailureCode } from "@/lib/domain";
import { refundGeneration } from "@/server/credits/ledger";
import type { Prisma } from "@/server/db/generated/client";
import { metrics, resellerLabel } from "@/server/ops/metrics";

import { announceJobChange } from "./changes";
import type { LifecycleDeps } from "./deps";
import { addEvent } from "./events";

export type FailureReason = FailureCode | "deadline" | "submit_failed" | "download_failed" | "lost";

// What a user reads when a job fails, per cause. Each ends by saying the credits came back,
// because the refund is part of the same transaction as the failure.
const MESSAGES: Record<FailureReason, string> = {
  content_policy: "The provider declined this prompt under its content policy.",
  invalid_input: "The provider refused these settings or images.",
  provider_auth: "The studio could not authenticate with the provider.",
  provider_quota: "The provider's account is out of balance.",
  rate_limited: "The provider is busy right now. Try again in a minute.",
  timeout: "The provider did not answer in time.",
  provider_error: "The provider could not make this image.",
  deadline: "The job took too long and was stopped.",
  submit_failed: "The job could not be sent to a provider.",
  download_failed: "The finished image could not be retrieved from the provider.",
  lost: "The provider lost this job.",
};

export const NOT_CHARGED = "Not charged: your credits are back.";

export function failureMessage(reason: FailureReason, detail?: string): string {
  const base = detail && detail.length < 200 ? detail : MESSAGES[reason];
  return `${base.replace(/\.?$/, ".")} ${NOT_CHARGED}`;
}

const TERMINAL = ["succeeded", "failed"] as const;

/**
 * Moves a job to `failed` and refunds its hold, in one transaction, at most once: the status
 * guard lets one caller through, and the refund's unique key would stop a second anyway.
 */
export async function failGeneration(
  deps: Pick<LifecycleDeps, "db">,
  generationId: string,
  reason: FailureReason,
  detail?: string,
  extra: {
    mayHaveBilledBy?: string;
    /** More writes that must commit with the failure only (an operator's audit row). */
    alsoInTransaction?: (tx: Prisma.TransactionClient, refunded: boolean) => Promise<void>;
  } = {},
): Promise<boolean> {
  const failed = await deps.db.$transaction(
    async (tx) => {
      const moved = await tx.generation.updateMany({
        where: { id: generationId, status: { notIn: [...TERMINAL] } },
        data: {
          status: "failed",
          errorCode: reason,
          errorMessage: failureMessage(reason, detail),
          completedAt: new Date(),
          nextPollAt: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          ...(extra.mayHaveBilledBy ? { mayHaveBilledBy: extra.mayHaveBilledBy } : {}),
        },
      });
      if (moved.count === 0) return null;
      await announceJobChange(tx, generationId);
      const job = await tx.generation.findUniqueOrThrow({
        where: { id: generationId },
        select: { provider: true, kind: true, cost: true },
      });
      const refunded = await refundGeneration(tx, generationId, `Refund: ${reason}`);
      await addEvent(tx, generationId, {
        kind: "failed",
        provider: job.provider,
        detail: detail ? `${reason}: ${detail}` : reason,
      });
      if (refunded) await addEvent(tx, generationId, { kind: "refunded", detail: `${job.cost} credits` });
      await extra.alsoInTransaction?.(tx, refunded);
      return { ...job, refunded };
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
  if (!failed) return false;
  const m = metrics();
  m.failed.inc({ reseller: resellerLabel(failed.provider), operation: failed.kind, error_code: reason });
  if (failed.refunded) m.refunds.inc({ reason });
  return true;
}
