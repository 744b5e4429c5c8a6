import "server-only";

import { channelListener } from "@/server/db/listen";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";

// Wake-ups for long polls. Every change of a job's state sends a notification on one channel with
// the job's id, in the same transaction as the change, so it goes out when the change commits and
// reaches every instance listening on the database. A notification that is lost (a dropped
// connection, a crash between the update and the notify) costs a waiter at most its wait: waiters
// read the row again when they wake and when their wait ends.

export const JOB_CHANNEL = "generation_changed";

/** Tells every instance that a job changed; inside a transaction it is sent at commit. */
export async function announceJobChange(
  db: Pick<Prisma.TransactionClient, "$executeRaw">,
  generationId: string,
): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${JOB_CHANNEL}, ${generationId})`;
}

export type WakeReason = "changed" | "timeout" | "ended";

export interface JobWatch {
  /**
   * Resolves with "changed" when one of `ids` changed since the watch began, "timeout" at `untilMs`
   * (epoch), and "ended" when the caller went away or the server is shutting down.
   */
  wait(ids: Iterable<string>, untilMs: number, signal?: AbortSignal): Promise<WakeReason>;
  end(): void;
}

const shutdown = ((
  globalThis as unknown as { reveJobWaits?: { ending: boolean; wakers: Set<() => void> } }
).reveJobWaits ??= { ending: false, wakers: new Set() });

/** Ends every open wait now and every later one at once: the server is shutting down. */
export function endAllWaits(): void {
  shutdown.ending = true;
  for (const wake of shutdown.wakers) wake();
}

/**
 * Ends the waits on SIGTERM and SIGINT. Where nothing else handles the signal (a custom server),
 * it is raised again so the process still ends the default way.
 */
export function endWaitsOnShutdown(): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      endAllWaits();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** How many requests wait for a change right now (tests, and to see a shutdown end them). */
export const openWaitCount = () => shutdown.wakers.size;

/**
 * Starts hearing job changes before the caller reads, so a change between the read and the wait is
 * not missed: it is remembered and ends the wait at once.
 */
export async function watchJobs(db: PrismaClient): Promise<JobWatch> {
  const listener = channelListener(db, JOB_CHANNEL);
  const heard = new Set<string>();
  let resynced = false;
  let wanted: Set<string> | undefined;
  let wake: ((reason: WakeReason) => void) | undefined;
  const unsubscribe = listener.subscribe({
    onPayload(id) {
      if (!wanted) heard.add(id);
      else if (wanted.has(id)) wake?.("changed");
    },
    onResync() {
      resynced = true;
      wake?.("changed");
    },
  });
  await listener.ready();

  return {
    wait(ids, untilMs, signal) {
      wanted = new Set(ids);
      if (resynced || [...heard].some((id) => wanted!.has(id))) return Promise.resolve("changed");
      if (shutdown.ending || signal?.aborted) return Promise.resolve("ended");
      return new Promise<WakeReason>((resolve) => {
        const ended = () => finish("ended");
        const timer = setTimeout(() => finish("timeout"), Math.max(0, untilMs - Date.now()));
        function finish(reason: WakeReason) {
          clearTimeout(timer);
          signal?.removeEventListener("abort", ended);
          shutdown.wakers.delete(ended);
          wake = undefined;
          resolve(reason);
        }
        wake = finish;
        signal?.addEventListener("abort", ended, { once: true });
        shutdown.wakers.add(ended);
      });
    },
    end() {
      unsubscribe();
      wake?.("ended");
    },
  };
}
