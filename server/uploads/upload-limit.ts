import "server-only";

import { createLimiter, formatWait, type Limiter } from "@/server/rate-limit";

export const UPLOADS_PER_MINUTE = 30;

let limiter: Limiter | undefined;

/** Spends one of the user's uploads for this minute; throws `rate_limited` when none is left. */
export async function checkUploadRate(userId: string): Promise<void> {
  // Built on first use so the limiter binds to the database client the process ends up with.
  limiter ??= createLimiter({ keyPrefix: "upload", points: UPLOADS_PER_MINUTE, durationSeconds: 60 });
  await limiter.consume(
    userId,
    (seconds) => `Too many uploads at once. Try again in ${formatWait(seconds)}.`,
  );
}
