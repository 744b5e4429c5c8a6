import "server-only";

import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";

import { db } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";

// Limits live in the database (the RateLimiterFlexible table), so they hold across restarts and
// across several app instances without another service.

export interface Limiter {
  /** Spends one point for `key`; throws a `rate_limited` AppError with the wait when none is left. */
  consume(key: string, message: (seconds: number) => string): Promise<void>;
  reset(key: string): Promise<void>;
}

export function createLimiter(
  options: { keyPrefix: string; points: number; durationSeconds: number },
  client: PrismaClient = db,
): Limiter {
  const limiter = new RateLimiterPrisma({
    storeClient: client,
    tableName: "rateLimiterFlexible",
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
    clearExpiredByTimeout: false,
  });
  return {
    async consume(key, message) {
      try {
        await limiter.consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
          throw new AppError("rate_limited", message(seconds), { retryAfter: seconds });
        }
        throw error;
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

export const formatWait = (seconds: number) =>
  seconds < 90 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
