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

/** Jobs one process polls at once (a status call, then the download of a finished job's images). */
const IN_FLIGHT = 16;
const SWEEP_EVERY_MS = 5_000;

export interface Poller {
  stop(): Promise<void>;
  /** One round of polling and sweeping, and its polls; exposed for tests. */
  tick(): Promise<void>;
}

export function createPoller(deps: LifecycleDeps, intervalMs: number): Poller {
  const owner = `${deps.instanceId}:poller:${randomUUID().slice(0, 8)}`;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = 0;
  let looping: Promise<void> | undefined;
  let stopped = false;
  let lastSweep = 0;
  let lastOrphanSweep = 0;
  let orphanSweep: Promise<void> | undefined;
  let active = 0;
  let replan = false;
  const polls = new Set<Promise<void>>();

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

  // Leases as many due jobs as there are free slots and starts their polls without waiting for them:
  // a job due now is not held back by another job's download.
  async function round(): Promise<{ done: Promise<void> }> {
    maybeSweepOrphans();
    if (Date.now() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      await sweepStuckJobs(deps);
    }
    const room = IN_FLIGHT - active;
    const due = room > 0 ? await leaseDueJobs(deps, owner, room) : [];
    if (due.length === 0) return { done: Promise.resolve() };
    active += due.length;
    const hold = holdLeases(
      deps,
      owner,
      due.map((job) => job.id),
    );
    const done = Promise.all(
      due.map((job) =>
        pollLeasedJob(deps, job, owner)
          .then(() => undefined)
          .catch((error: unknown) => logUnexpected(error, `polling job ${job.id}`))
          .finally(freeSlot),
      ),
    ).then(() => hold.stop());
    polls.add(done);
    void done.finally(() => polls.delete(done));
    return { done };
  }

  // A poll ended: its job was released with its next poll time, which may come before the round
  // already planned (a step of a timed plan), and a slot is free. Plan the next round again.
  function freeSlot() {
    active -= 1;
    if (looping) replan = true;
    else schedule(MIN_ROUND_GAP_MS);
  }

  // The next round runs when the next job is due, if that is sooner than the interval: a poll timed
  // to a job's end is not held back by up to a whole interval.
  // A round already planned sooner is kept: polls ending one after another do not postpone it.
  function schedule(delayMs = intervalMs) {
    if (stopped) return;
    const at = Date.now() + delayMs;
    if (timer && at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      looping ??= loop();
    }, delayMs);
    timer.unref();
  }

  async function loop() {
    replan = false;
    let next = intervalMs;
    try {
      await round();
      // With every slot taken, the next poll to end wakes the next round (freeSlot).
      if (active < IN_FLIGHT) next = await untilNextDue(deps, intervalMs);
    } catch (error) {
      logUnexpected(error, "a poller round");
    }
    // In one step with the planning, so that no poll ends unseen in between.
    looping = undefined;
    schedule(replan ? MIN_ROUND_GAP_MS : next);
  }
  schedule();

  return {
    async tick() {
      await (
        await round()
      ).done;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looping;
      await Promise.all(polls);
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
