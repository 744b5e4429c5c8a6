import "server-only";

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. */
  threshold: number;
  windowMs: number;
  /** How long an open circuit keeps the provider at the back of the queue. */
  openMs: number;
  now: () => number;
}

export const DEFAULT_BREAKER: CircuitBreakerOptions = {
  threshold: 3,
  windowMs: 60_000,
  openMs: 30_000,
  now: Date.now,
};

/** Counts recent failures per key; a key that fails too often is "open" for a while. */
export function createCircuitBreaker(options: Partial<CircuitBreakerOptions> = {}) {
  const o = { ...DEFAULT_BREAKER, ...options };
  const failures = new Map<string, number[]>();
  const openUntil = new Map<string, number>();

  return {
    recordFailure(key: string): void {
      const now = o.now();
      const recent = (failures.get(key) ?? []).filter((t) => now - t < o.windowMs);
      recent.push(now);
      failures.set(key, recent);
      if (recent.length >= o.threshold) {
        openUntil.set(key, now + o.openMs);
        failures.set(key, []);
      }
    },
    /** Opens the circuit at once, for `ms` (default `openMs`): a refusal that will not pass by itself. */
    trip(key: string, ms = o.openMs): void {
      openUntil.set(key, Math.max(openUntil.get(key) ?? 0, o.now() + ms));
      failures.set(key, []);
    },
    recordSuccess(key: string): void {
      failures.delete(key);
      openUntil.delete(key);
    },
    isOpen(key: string): boolean {
      const until = openUntil.get(key);
      if (until === undefined) return false;
      if (o.now() < until) return true;
      openUntil.delete(key);
      return false;
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
