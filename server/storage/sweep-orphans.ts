import "server-only";

import type { PrismaClient } from "@/server/db/generated/client";

import type { MediaStorage } from "./types";

// Files with no Asset row: an output stored by a process that died before its commit, an upload
// cut off between its file and its row, a delete whose storage call failed. Files younger than an
// hour are left alone, so nothing that is being stored and committed right now is touched.

export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
export const ORPHAN_SWEEP_EVERY_MS = 10 * 60 * 1000;

export interface OrphanSweepResult {
  checked: number;
  removed: string[];
}

/**
 * One sweep, by one process at a time across every instance: the transaction-level advisory lock
 * is taken with `pg_try_advisory_xact_lock`, so a second sweep, here or on another instance,
 * returns null at once instead of waiting; the lock ends with the transaction, even on a crash.
 * The rows are read in that transaction (on PGlite its one connection).
 */
export async function sweepOrphanedFiles(
  deps: { db: PrismaClient; storage: MediaStorage },
  options: { now?: Date; minAgeMs?: number } = {},
): Promise<OrphanSweepResult | null> {
  const cutoff = (options.now ?? new Date()).getTime() - (options.minAgeMs ?? ORPHAN_MIN_AGE_MS);
  return deps.db.$transaction(
    async (tx) => {
      // The key is this sweep's own constant (Prisma Migrate's is 72707369).
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(7270736901) AS "locked"`;
      if (!lock?.locked) return null;
      let checked = 0;
      const removed: string[] = [];
      for await (const page of deps.storage.list("users/")) {
        checked += page.length;
        const old = page.filter((o) => o.lastModified.getTime() < cutoff).map((o) => o.key);
        if (old.length === 0) continue;
        const rows = await tx.asset.findMany({
          where: { OR: [{ storageKey: { in: old } }, { thumbKey: { in: old } }] },
          select: { storageKey: true, thumbKey: true },
        });
        const referenced = new Set(rows.flatMap((row) => [row.storageKey, row.thumbKey]));
        const orphans = old.filter((key) => !referenced.has(key));
        if (orphans.length === 0) continue;
        await deps.storage.delete(orphans);
        removed.push(...orphans);
      }
      return { checked, removed };
    },
    { maxWait: 15_000, timeout: 30 * 60_000 },
  );
}
