import { SEED_MAX } from "@/lib/domain";

import type { MarkerStatus, Markers } from "../markers";

export function bearerToken(headers: Record<string, string>): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
}

export interface SubmitMarkerAnswers {
  /** Answer this status in the reseller's error shape. */
  error(status: MarkerStatus): void;
  /** Answer 2xx with a body that is not the documented shape. */
  malformed(): void;
}

/**
 * Applies the markers that act on the submit itself. True when they decided the answer, including
 * `[emu:timeout]`, which decides that there is none: the socket stays open until the client gives up.
 */
export function answeredByMarkers(markers: Markers, answers: SubmitMarkerAnswers): boolean {
  if (markers.timeout) return true;
  if (markers.status !== undefined) {
    answers.error(markers.status);
    return true;
  }
  if (markers.tooMany) {
    answers.error(429);
    return true;
  }
  if (markers.malformed) {
    answers.malformed();
    return true;
  }
  return false;
}

/** Seeds are whole numbers in 0..SEED_MAX; `invalid` when present and not one. */
export function readSeed(value: unknown): number | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > SEED_MAX)
    return "invalid";
  return value;
}

export const isoTime = (ms: number) => new Date(ms).toISOString();

/** Retry-After for rate-limit answers, in seconds. */
export const RETRY_AFTER = { "Retry-After": "1" };
