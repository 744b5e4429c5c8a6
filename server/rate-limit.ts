import "server-only";

import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";

import { getDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";

// Limits live in the database (the RateLimiterFlexible table), so they hold across restarts and
// across several app instances without another service.

export interface Limiter {
  /** Spends one point for `key`; throws a `rate_limited` AppError with the wait when none is left. */
  consume(
    key: string,
    message: (seconds: number) => string,
    options?: { nothingCharged?: boolean },
  ): Promise<void>;
  reset(key: string): Promise<void>;
}

interface LimitSetting {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/**
 * A limiter on `client`, or, without one, on the process's database as `getDb()` gives it at each
 * use (so a limiter made once per process follows `setDb`).
 */
export function createLimiter(options: LimitSetting, client?: PrismaClient): Limiter {
  const byClient = new WeakMap<PrismaClient, RateLimiterPrisma>();
  const limiterOn = (store: PrismaClient) => {
    let limiter = byClient.get(store);
    if (!limiter) {
      limiter = new RateLimiterPrisma({
        storeClient: store,
        tableName: "rateLimiterFlexible",
        keyPrefix: options.keyPrefix,
        points: options.points,
        duration: options.durationSeconds,
        clearExpiredByTimeout: false,
      });
      byClient.set(store, limiter);
    }
    return limiter;
  };
  const current = () => limiterOn(client ?? getDb());
  return {
    async consume(key, message, options) {
      try {
        await current().consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
          throw new AppError("rate_limited", message(seconds), { retryAfter: seconds, ...options });
        }
        throw error;
      }
    },
    async reset(key) {
      await current().delete(key);
    },
  };
}

const globalForLimiters = globalThis as unknown as { reveLimiters?: Map<string, Limiter> };

/**
 * The process's limiter for one setting, made on first use. Keyed by the whole setting, so a
 * changed limit (a test, a reload of the env) gets its own limiter rather than the old one.
 */
export function limiterFor(setting: LimitSetting): Limiter {
  const limiters = (globalForLimiters.reveLimiters ??= new Map());
  const key = `${setting.keyPrefix}:${setting.points}:${setting.durationSeconds}`;
  let limiter = limiters.get(key);
  if (!limiter) limiters.set(key, (limiter = createLimiter(setting)));
  return limiter;
}

export const formatWait = (seconds: number) =>
  seconds < 90 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
