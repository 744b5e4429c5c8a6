import "server-only";

import { PROVIDER_IDS, type ProviderId } from "@/lib/domain";
import type { PrismaClient } from "@/server/db/generated/client";
import { logUnexpected } from "@/server/log";

/** The run-time switches of the resellers, as stored in ResellerSetting. */
export interface ResellerSwitches {
  /** Resellers an operator took out of routing. */
  disabled: ReadonlySet<ProviderId>;
  /** Auto's order: lower first; resellers without one keep their PROVIDER_PRIORITY place after. */
  priority: Partial<Record<ProviderId, number>>;
}

export const NO_SWITCHES: ResellerSwitches = { disabled: new Set(), priority: {} };

/** How long an instance trusts the switches it read: a change elsewhere is seen within this. */
export const SWITCHES_TTL_MS = 2_000;

const isProviderId = (value: string): value is ProviderId =>
  (PROVIDER_IDS as readonly string[]).includes(value);

/** Reads the switches from the database (one small query on the primary key's table). */
export async function loadResellerSwitches(
  db: Pick<PrismaClient, "resellerSetting">,
): Promise<ResellerSwitches> {
  const rows = await db.resellerSetting.findMany();
  const disabled = new Set<ProviderId>();
  const priority: Partial<Record<ProviderId, number>> = {};
  for (const row of rows) {
    if (!isProviderId(row.provider)) continue;
    if (!row.enabled) disabled.add(row.provider);
    if (row.priority !== null) priority[row.provider] = row.priority;
  }
  return { disabled, priority };
}

export interface SwitchesSource {
  load: () => Promise<ResellerSwitches>;
  ttlMs?: number;
  now?: () => number;
}

/**
 * The switches with a cache of `ttlMs`: at most one read in flight, and a failed read keeps the
 * last known switches (routing goes on; the failure is logged) until the next attempt.
 */
export function cachedSwitches(source: SwitchesSource) {
  const ttlMs = source.ttlMs ?? SWITCHES_TTL_MS;
  const now = source.now ?? Date.now;
  let current = NO_SWITCHES;
  let readAt = -Infinity;
  let inFlight: Promise<ResellerSwitches> | undefined;
  return {
    /** The last switches read, without waiting. */
    peek: () => current,
    /** Fresh switches: read again when the cached ones are older than the TTL. */
    async get(): Promise<ResellerSwitches> {
      if (now() - readAt < ttlMs) return current;
      inFlight ??= source
        .load()
        .then((next) => {
          current = next;
          return next;
        })
        .catch((error: unknown) => {
          logUnexpected(error, "reading the reseller switches");
          return current;
        })
        .finally(() => {
          readAt = now();
          inFlight = undefined;
        });
      return inFlight;
    },
    /** Forgets the cache, so the next `get` reads (after a change made by this instance). */
    invalidate: () => void (readAt = -Infinity),
  };
}

/** Auto's order: the operators' priorities first (lower first), then the environment's order. */
export function autoOrder(envPriority: readonly ProviderId[], switches: ResellerSwitches): ProviderId[] {
  const rank = (id: ProviderId) => switches.priority[id] ?? Number.MAX_SAFE_INTEGER;
  return [...new Set([...envPriority, ...PROVIDER_IDS])].sort((a, b) => rank(a) - rank(b));
}
