import "server-only";

import { createHash } from "node:crypto";

import { isTerminal, type GenerationStatus } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";
import { ACTIVE_CURSOR, type ActiveJobsDto } from "@/lib/live-query";
import { AppError } from "@/server/errors";

import { watchJobs } from "./changes";
import type { LifecycleDeps } from "./deps";
import { pollIfDue } from "./poll";
import { getGeneration, listActiveGenerations } from "./queries";

// Long polls: a status request that finds nothing new waits, up to its `wait`, for a change of the
// jobs it answers about, then reads them again and answers. A wait on one job also wakes when the
// job is due for a poll and polls it under the lease, as a plain status request does. The
// active-jobs route never calls a provider: the pollers (and webhooks) move its jobs on.

interface WaitOptions {
  waitMs: number;
  signal?: AbortSignal;
}

/** A job's DTO once its status differs from `since` (default: the status first read), or at the end. */
export async function waitForGeneration(
  deps: LifecycleDeps,
  userId: string,
  id: string,
  options: WaitOptions & { since?: GenerationStatus },
): Promise<GenerationDto> {
  let known = options.since;
  const { result } = await longPoll(deps, options, async () => {
    let generation = await getGeneration(userId, id);
    if (!generation) throw new AppError("not_found", "This job was not found.");
    if (!isTerminal(generation.status) && (await pollDue(deps, [id]))) {
      generation = (await getGeneration(userId, id)) ?? generation;
    }
    known ??= generation.status;
    const changed = isTerminal(generation.status) || generation.status !== known;
    return { result: generation, changed, watch: [id], recheckAt: () => nextDueAt(deps, [id]) };
  });
  return result;
}

/** Jobs that ended this long before a cursor's time are listed again: instances' clocks differ. */
const CLOCK_MARGIN_MS = 10_000;
/** A cursor lists endings at most this far back, however old it is. */
const CURSOR_HORIZON_MS = 10 * 60_000;

/**
 * The user's running jobs and those that ended since the cursor, once the set of running jobs or
 * their states differ from what the cursor saw (at once without a cursor), or at the end.
 */
export async function waitForActiveJobs(
  deps: LifecycleDeps,
  userId: string,
  options: WaitOptions & { cursor?: string },
): Promise<ActiveJobsDto> {
  const match = options.cursor ? ACTIVE_CURSOR.exec(options.cursor) : null;
  const seenDigest = match?.[2];
  const endedAfter = match
    ? new Date(Math.max(Number(match[1]), Date.now() - CURSOR_HORIZON_MS) - CLOCK_MARGIN_MS)
    : null;
  const { result } = await longPoll(deps, options, async () => {
    const readAt = Date.now();
    const jobs = await listActiveGenerations(userId, endedAfter);
    const digest = digestOf(jobs.running);
    const ended = jobs.ended.filter((e) => !jobs.running.some((r) => r.id === e.id));
    return {
      result: { jobs: [...jobs.running, ...ended], cursor: `${readAt}.${digest}` },
      changed: digest !== seenDigest,
      watch: jobs.running.map((j) => j.id),
    };
  });
  return result;
}

function digestOf(running: GenerationDto[]): string {
  const states = running.map((j) => `${j.id}:${j.status}`).sort();
  return createHash("sha256").update(states.join(",")).digest("hex").slice(0, 16);
}

/**
 * Runs `read` until it reports a change or the wait is over. Each round starts listening before it
 * reads, so a change committed between the read and the wait still ends the wait.
 */
async function longPoll<T>(
  deps: LifecycleDeps,
  options: WaitOptions,
  read: () => Promise<{ result: T; changed: boolean; watch: string[]; recheckAt?: () => Promise<number> }>,
): Promise<{ result: T }> {
  const until = Date.now() + options.waitMs;
  let last = options.waitMs <= 0;
  for (;;) {
    const watch = last ? undefined : await watchJobs(deps.db);
    try {
      const round = await read();
      if (round.changed || last || round.watch.length === 0) return { result: round.result };
      const wakeAt = Math.min(until, (await round.recheckAt?.()) ?? until);
      const reason = await watch!.wait(round.watch, wakeAt, options.signal);
      if (reason === "ended" || Date.now() >= until) last = true;
    } finally {
      watch?.end();
    }
  }
}

/** Polls those of the jobs that are due and free; whether any was. */
async function pollDue(deps: LifecycleDeps, ids: string[]): Promise<boolean> {
  const due = await deps.db.generation.findMany({
    where: {
      id: { in: ids },
      status: { in: ["queued", "processing"] },
      nextPollAt: { lte: new Date() },
      OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: new Date() } }],
    },
    select: { id: true },
  });
  await Promise.all(due.map((job) => pollIfDue(deps, job.id)));
  return due.length > 0;
}

/** A waiter looks again when one of its jobs is next due, or its lease lapses; not sooner than soon. */
const MIN_RECHECK_MS = 250;

async function nextDueAt(deps: LifecycleDeps, ids: string[]): Promise<number> {
  const jobs = await deps.db.generation.findMany({
    where: { id: { in: ids }, status: { in: ["queued", "processing"] } },
    select: { nextPollAt: true, leaseExpiresAt: true },
  });
  const times = jobs
    .filter((j) => j.nextPollAt)
    .map((j) => Math.max(j.nextPollAt!.getTime(), j.leaseExpiresAt?.getTime() ?? 0));
  return Math.max(Date.now() + MIN_RECHECK_MS, Math.min(Infinity, ...times));
}
