import "server-only";

import { getDb } from "@/server/db/client";

// Each user has a session version, carried in every token issued to them. Bumping it ends every
// session issued before. The session reader checks it on every request, from a per-process cache
// of a few seconds: another instance sees a bump (or a deleted account) within SESSION_VERSION_CACHE_MS.

export const SESSION_VERSION_CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

const cache = new Map<string, { version: number | null; until: number }>();

/** The user's current session version, or null when the user no longer exists. Throws on a database error. */
export async function currentSessionVersion(userId: string): Promise<number | null> {
  const hit = cache.get(userId);
  if (hit && hit.until > Date.now()) return hit.version;
  const row = await getDb().user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  const version = row?.sessionVersion ?? null;
  cache.delete(userId);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(userId, { version, until: Date.now() + SESSION_VERSION_CACHE_MS });
  return version;
}

/** Drops this process's cached version, after a bump or a deletion made here. */
export function forgetSessionVersion(userId: string): void {
  cache.delete(userId);
}

/** Ends every session of the user, on every device; returns the new version. */
export async function endAllSessions(userId: string): Promise<number> {
  const { sessionVersion } = await getDb().user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  forgetSessionVersion(userId);
  return sessionVersion;
}
