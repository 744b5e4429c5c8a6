import "server-only";

import { env } from "@/server/env";
import { createLimiter, formatWait, type Limiter } from "@/server/rate-limit";

let limiter: Limiter | undefined;

/**
 * Spends one of the address's requests to public share links (pages, images, previews); throws
 * `rate_limited` when none is left. Requests whose address cannot be read share one allowance.
 */
export async function checkShareRate(ip: string | null): Promise<void> {
  limiter ??= createLimiter({
    keyPrefix: "share-ip",
    points: env.SHARE_REQUESTS_PER_IP_PER_MINUTE,
    durationSeconds: 60,
  });
  await limiter.consume(
    ip ?? "unknown",
    (seconds) => `Too many requests from your network. Try again in ${formatWait(seconds)}.`,
  );
}
