import "server-only";

import {
  RateLimiterMemory,
  RateLimiterPrisma,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

import type { ProviderId } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { metrics } from "@/server/ops/metrics";

import { ProviderError } from "./provider-error";

// Outbound requests to each reseller, counted in the database (the RateLimiterFlexible table) so
// that every instance shares one budget: reve-art documents 10 requests a minute per key.

export interface OutboundLimiter {
  /** Waits for a slot for one request, up to the slot wait; throws a `limit` ProviderError after. */
  acquire(provider: ProviderId): Promise<void>;
  /** Holds every instance back for `ms`, as a 429's Retry-After asks. */
  holdBack(provider: ProviderId, ms: number): Promise<void>;
}

export interface OutboundLimiterOptions {
  perMinute: Partial<Record<ProviderId, number>>;
  maxWaitMs: number;
  /** Where the counts live: a database client, "memory" (one process: the CLI), or the app's db. */
  store?: PrismaClient | "memory";
  sleep?: (ms: number) => Promise<void>;
}

export function createOutboundLimiter(options: OutboundLimiterOptions): OutboundLimiter {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const limiters = new WeakMap<object, Map<ProviderId, RateLimiterAbstract>>();
  const memory = {};

  function limiterFor(provider: ProviderId): RateLimiterAbstract | undefined {
    const points = options.perMinute[provider];
    if (!points) return undefined;
    const store = options.store === "memory" ? memory : (options.store ?? getDb());
    let byProvider = limiters.get(store);
    if (!byProvider) limiters.set(store, (byProvider = new Map()));
    let limiter = byProvider.get(provider);
    if (!limiter) {
      const settings = { keyPrefix: "outbound", points, duration: 60 };
      limiter =
        store === memory
          ? new RateLimiterMemory(settings)
          : new RateLimiterPrisma({
              ...settings,
              storeClient: store,
              tableName: "rateLimiterFlexible",
              clearExpiredByTimeout: false,
            });
      byProvider.set(provider, limiter);
    }
    return limiter;
  }

  return {
    async acquire(provider) {
      const limiter = limiterFor(provider);
      if (!limiter) return;
      let waited = 0;
      for (;;) {
        try {
          await limiter.consume(provider);
          metrics().rateLimitWaits.observe({ reseller: provider }, waited / 1000);
          return;
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          const wait = Math.max(50, error.msBeforeNext);
          if (waited + wait > options.maxWaitMs) {
            metrics().rateLimitRefusals.inc({ reseller: provider });
            throw new ProviderError(provider, {
              code: "rate_limited",
              retryable: true,
              kind: "limit",
              message: "The studio is holding back its requests to this provider. Try again in a minute.",
              retryAfterMs: error.msBeforeNext,
            });
          }
          await sleep(wait);
          waited += wait;
        }
      }
    },
    async holdBack(provider, ms) {
      const limiter = limiterFor(provider);
      if (!limiter || ms <= 0) return;
      await limiter.block(provider, Math.ceil(ms / 1000));
    },
  };
}
