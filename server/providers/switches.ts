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
 * The switches with a cache of `ttlMs`, timed from the start of the read that gave them: a read
 * that began before a change may not see it. Routing at time t therefore trusts only a read begun
 * after t - ttlMs, and none begun before the last `invalidate`, so a change committed ttlMs ago is
 * honoured however long reads take on a busy machine. A failed read keeps the last known switches
 * (routing goes on; the failure is logged) until the next attempt, a TTL later.
 */
export function cachedSwitches(source: SwitchesSource) {
  const ttlMs = source.ttlMs ?? SWITCHES_TTL_MS;
  const now = source.now ?? Date.now;
  let current = NO_SWITCHES;
  // `invalidate` starts a new generation: reads begun in an earlier one are not trusted any more.
  let generation = 0;
  type Begun = { startedAt: number; generation: number };
  let last: Begun = { startedAt: -Infinity, generation };
  let inFlight: (Begun & { read: Promise<ResellerSwitches> }) | undefined;
  const trusted = (read: Begun, at: number) => read.generation === generation && at - read.startedAt < ttlMs;
  const later = (a: Begun, b: Begun) =>
    a.generation > b.generation || (a.generation === b.generation && a.startedAt >= b.startedAt);

  function read(begun: Begun): Promise<ResellerSwitches> {
    // Reads may overlap (one begun before an invalidation): the later start wins, whatever ends first.
    const settle = () => {
      const newer = later(begun, last);
      if (newer) last = begun;
      return newer;
    };
    return source
      .load()
      .then((next) => {
        if (settle()) current = next;
        return current;
      })
      .catch((error: unknown) => {
        logUnexpected(error, "reading the reseller switches");
        settle();
        return current;
      });
  }

  return {
    /** The last switches read, without waiting. */
    peek: () => current,
    /** Switches from a read begun less than the TTL ago (and after the last `invalidate`). */
    async get(): Promise<ResellerSwitches> {
      const at = now();
      if (trusted(last, at)) return current;
      if (inFlight && trusted(inFlight, at)) return inFlight.read;
      const begun = { startedAt: at, generation };
      const entry = { ...begun, read: read(begun) };
      inFlight = entry;
      void entry.read.finally(() => {
        if (inFlight === entry) inFlight = undefined;
      });
      return entry.read;
    },
    /** Distrusts every read so far, so the next `get` reads (after a change made by this instance). */
    invalidate: () => void (generation += 1),
  };
}

/** Auto's order: the operators' priorities first (lower first), then the environment's order. */
export function autoOrder(envPriority: readonly ProviderId[], switches: ResellerSwitches): ProviderId[] {
  const rank = (id: ProviderId) => switches.priority[id] ?? Number.MAX_SAFE_INTEGER;
  return [...new Set([...envPriority, ...PROVIDER_IDS])].sort((a, b) => rank(a) - rank(b));
}
