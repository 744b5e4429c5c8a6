import "server-only";

import { formatWait, limiterFor } from "@/server/rate-limit";

export const UPLOADS_PER_MINUTE = 30;

/** Spends one of the user's uploads for this minute; throws `rate_limited` when none is left. */
export async function checkUploadRate(userId: string): Promise<void> {
  await limiterFor({ keyPrefix: "upload", points: UPLOADS_PER_MINUTE, durationSeconds: 60 }).consume(
    userId,
    (seconds) => `Too many uploads at once. Try again in ${formatWait(seconds)}.`,
  );
}
