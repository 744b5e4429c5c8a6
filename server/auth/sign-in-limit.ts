import "server-only";

import { env } from "@/server/env";
import { createLimiter, formatWait } from "@/server/rate-limit";

const globalForLimit = globalThis as unknown as { reveSignInLimiter?: ReturnType<typeof createLimiter> };

/** Brute-force guard: a fixed number of sign-in attempts per email per 15 minutes. */
export async function checkSignInRate(email: string) {
  const limiter = (globalForLimit.reveSignInLimiter ??= createLimiter({
    keyPrefix: "signin",
    points: env.SIGNIN_ATTEMPTS_PER_15_MINUTES,
    durationSeconds: 15 * 60,
  }));
  await limiter.consume(email, (s) => `Too many sign-in attempts. Try again in ${formatWait(s)}.`);
}
