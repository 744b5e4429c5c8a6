import "server-only";

import { ACTIVE_STATUSES } from "@/lib/domain";

import type { LifecycleDeps } from "./deps";
import { failGeneration } from "./failure";

// Every job reaches a terminal state: the sweeper fails and refunds jobs past their deadline, and
// jobs lost between the hold and the provider's answer (a crash mid-submit).

export async function sweepStuckJobs(deps: LifecycleDeps, now = new Date()): Promise<number> {
  const lostSubmits = new Date(now.getTime() - deps.config.submittingGraceMs);
  const stuck = await deps.db.generation.findMany({
    where: {
      OR: [
        { status: { in: [...ACTIVE_STATUSES] }, deadlineAt: { lt: now } },
        { status: "submitting", updatedAt: { lt: lostSubmits } },
      ],
    },
    select: { id: true, status: true },
    take: 100,
  });
  let failed = 0;
  for (const job of stuck) {
    const reason = job.status === "submitting" ? "submit_failed" : "deadline";
    if (await failGeneration(deps, job.id, reason)) failed++;
  }
  return failed;
}
