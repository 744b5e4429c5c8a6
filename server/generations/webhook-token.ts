import "server-only";

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Each job's callback URL carries a token of its own; the job row keeps only its hash, so a leaked
// database copy cannot forge a webhook.

/** A new token for a job's callback URL. */
export const newWebhookToken = () => randomBytes(24).toString("base64url");

/** What the job row stores of its token. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Whether a callback's token is the job's, compared in constant time. */
export function tokenMatches(token: string | null, storedHash: string | null): boolean {
  if (!token || !storedHash) return false;
  const given = Buffer.from(hashToken(token), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
