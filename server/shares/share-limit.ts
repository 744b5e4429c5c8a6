import "server-only";

import { env } from "@/server/env";
import { formatWait, limiterFor } from "@/server/rate-limit";

/**
 * Spends one of the address's requests to public share links (pages, images, previews); throws
 * `rate_limited` when none is left. Requests whose address cannot be read share one allowance.
 */
export async function checkShareRate(ip: string | null): Promise<void> {
  const limiter = limiterFor({
    keyPrefix: "share-ip",
    points: env.SHARE_REQUESTS_PER_IP_PER_MINUTE,
    durationSeconds: 60,
  });
  await limiter.consume(
    ip ?? "unknown",
    (seconds) => `Too many requests from your network. Try again in ${formatWait(seconds)}.`,
  );
}
