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

/** Status calls one process has in flight at once. */
const ASKING = 16;
/** Jobs one process works on at once: asking about them, or downloading a finished job's images. */
const HELD = 64;
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
  let asking = 0;
  let held = 0;
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
    const room = Math.min(ASKING - asking, HELD - held);
    const due = room > 0 ? await leaseDueJobs(deps, owner, room) : [];
    if (due.length === 0) return { done: Promise.resolve() };
    asking += due.length;
    held += due.length;
    const hold = holdLeases(
      deps,
      owner,
      due.map((job) => job.id),
    );
    const done = Promise.all(
      due.map((job) => {
        // A finished job's download does not keep a status call of another job waiting.
        let answered = false;
        const onAnswered = () => {
          if (answered) return;
          answered = true;
          asking -= 1;
          replanSoon();
        };
        return pollLeasedJob(deps, job, owner, onAnswered)
          .then(() => undefined)
          .catch((error: unknown) => logUnexpected(error, `polling job ${job.id}`))
          .finally(() => {
            onAnswered();
            held -= 1;
            replanSoon();
          });
      }),
    ).then(() => hold.stop());
    polls.add(done);
    void done.finally(() => polls.delete(done));
    return { done };
  }

  // A status call was answered (a slot is free) or a poll ended (its job was released with its next
  // poll time, which may come before the round already planned): plan the next round again.
  function replanSoon() {
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
      // With every slot taken, the next one to free wakes the next round (replanSoon).
      if (asking < ASKING && held < HELD) next = await untilNextDue(deps, intervalMs);
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
