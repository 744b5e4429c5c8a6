import "server-only";

import { randomUUID } from "node:crypto";

import { logUnexpected } from "@/server/log";
import { ORPHAN_SWEEP_EVERY_MS, sweepOrphanedFiles } from "@/server/storage/sweep-orphans";

import type { LifecycleDeps } from "./deps";
import { holdLeases } from "./lease";
import { leaseDueJobs, pollLeasedJob } from "./poll";
import { sweepStuckJobs } from "./sweep";

// The background half of the lifecycle, one per server process (started from instrumentation.ts):
// it polls due jobs under leases and sweeps stuck ones. After a restart it simply finds every
// unfinished job due again, so nothing is lost.

const BATCH = 16;
const CONCURRENCY = 8;
const SWEEP_EVERY_MS = 5_000;

export interface Poller {
  stop(): Promise<void>;
  /** One round of polling and sweeping; exposed for tests. */
  tick(): Promise<void>;
}

export function createPoller(deps: LifecycleDeps, intervalMs: number): Poller {
  const owner = `${deps.instanceId}:poller:${randomUUID().slice(0, 8)}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let lastSweep = 0;
  let lastOrphanSweep = 0;
  let orphanSweep: Promise<void> | undefined;

  // Files without a row are looked for now and then, beside the polling rather than in its way.
  function maybeSweepOrphans() {
    if (orphanSweep || Date.now() - lastOrphanSweep < ORPHAN_SWEEP_EVERY_MS) return;
    lastOrphanSweep = Date.now();
    orphanSweep = sweepOrphanedFiles(deps)
      .then((result) => {
        if (result?.removed.length) console.info(`[sweep] removed ${result.removed.length} orphaned files`);
      })
      .catch((error: unknown) => logUnexpected(error, "sweeping orphaned files"))
      .finally(() => (orphanSweep = undefined));
  }

  async function tick() {
    maybeSweepOrphans();
    if (Date.now() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      await sweepStuckJobs(deps);
    }
    const due = await leaseDueJobs(deps, owner, BATCH);
    if (due.length === 0) return;
    // The whole batch stays leased while its first jobs are polled and the rest wait their turn.
    const hold = holdLeases(
      deps,
      owner,
      due.map((job) => job.id),
    );
    try {
      for (let i = 0; i < due.length; i += CONCURRENCY) {
        await Promise.all(due.slice(i, i + CONCURRENCY).map((job) => pollLeasedJob(deps, job, owner)));
      }
    } finally {
      await hold.stop();
    }
  }

  // The next round runs when the next job is due, if that is sooner than the interval: a poll timed
  // to a job's end is not held back by up to a whole interval.
  function schedule(delayMs = intervalMs) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .then(() => untilNextDue(deps, intervalMs))
        .catch((error: unknown) => {
          logUnexpected(error, "a poller round");
          return intervalMs;
        })
        .then(schedule);
    }, delayMs);
    timer.unref();
  }
  schedule();

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await orphanSweep;
    },
  };
}

const MIN_ROUND_GAP_MS = 20;

async function untilNextDue(deps: LifecycleDeps, intervalMs: number): Promise<number> {
  const next = await deps.db.generation.findFirst({
    where: {
      status: { in: ["queued", "processing"] },
      nextPollAt: { not: null },
      // A job another process holds is its business until the lease lapses.
      OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: new Date() } }],
    },
    orderBy: { nextPollAt: "asc" },
    select: { nextPollAt: true },
  });
  const dueIn = next?.nextPollAt ? next.nextPollAt.getTime() - Date.now() : intervalMs;
  return Math.min(intervalMs, Math.max(MIN_ROUND_GAP_MS, dueIn));
}

const globalForPoller = globalThis as unknown as { revePoller?: Poller };

/** Starts the process's poller once, however often it is called. */
export async function startPoller(intervalMs: number) {
  if (globalForPoller.revePoller) return globalForPoller.revePoller;
  const { getLifecycleDeps } = await import("./deps");
  globalForPoller.revePoller = createPoller(getLifecycleDeps(), intervalMs);
  return globalForPoller.revePoller;
}
