import "server-only";

import { redact } from "@/server/redact";

/**
 * Logs an error nobody expected (a bug, a lost connection) with its message and stack, so that it
 * can be traced, and with every known secret scrubbed. The user only ever sees a generic message.
 * `context` says where it happened ("action createImage", "GET /api/me", "submit").
 */
export function logUnexpected(error: unknown, context: string): void {
  console.error(`Unexpected error in ${context}: ${redact(describe(error))}`);
}

function describe(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return `${typeof error} thrown`;
  const text = error.stack?.includes(error.message)
    ? error.stack
    : `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  // A wrapped error's cause is often where the real fault is; two levels are enough to find it.
  return error.cause !== undefined && depth < 2
    ? `${text}\nCaused by: ${describe(error.cause, depth + 1)}`
    : text;
}
