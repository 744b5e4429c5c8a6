import "server-only";

import { ACTIVE_STATUSES } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import { logUnexpected } from "@/server/log";

/** How long past its deadline a job may stay open before the sweeper counts as behind. */
export const SWEEP_GRACE_MS = 60_000;

export interface Health {
  status: "ok" | "degraded" | "unavailable";
  database: "up" | "down";
  /** Jobs still open more than SWEEP_GRACE_MS past their deadline: no poller is sweeping. */
  overdueJobs: number | null;
}

/**
 * For load balancers and monitors: can this instance reach its database, and are jobs being
 * swept? Answers nothing about any user, and no configuration.
 */
export async function checkHealth(now = new Date()): Promise<Health> {
  try {
    const overdueJobs = await getDb().generation.count({
      where: {
        status: { in: [...ACTIVE_STATUSES] },
        deadlineAt: { lt: new Date(now.getTime() - SWEEP_GRACE_MS) },
      },
    });
    return { status: overdueJobs > 0 ? "degraded" : "ok", database: "up", overdueJobs };
  } catch (error) {
    logUnexpected(error, "the health check (database unreachable)");
    return { status: "unavailable", database: "down", overdueJobs: null };
  }
}
