import { SEED_MAX } from "@/lib/domain";

import type { ServerResponse } from "node:http";

import { sendRaw, type RequestContext } from "../http";
import type { Job } from "../jobs";
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

/** The Retry-After header a 429 carries: `[emu:retryafter=N]`, else one second. */
export function retryAfter(markers?: Markers): Record<string, string> {
  const seconds = markers?.drift.retryAfterSeconds;
  return seconds === undefined ? RETRY_AFTER : { "Retry-After": String(seconds) };
}

/**
 * `[emu:slash]`: a status URL without a trailing slash answers 301 to the same URL with one, on the
 * same host, as the reve-art document's own example suggests. True when it answered.
 */
export function redirectedToSlash(ctx: RequestContext, job: Job): boolean {
  if (!job.drift.slash || ctx.path.endsWith("/")) return false;
  const [path, query] = (ctx.req.url ?? "").split("?");
  ctx.res.writeHead(301, { Location: `${path}/${query === undefined ? "" : `?${query}`}` });
  ctx.res.end();
  return true;
}

/** `[emu:gateway502]`: what a gateway in front of the reseller answers after the job was taken. */
export function gateway502(res: ServerResponse): void {
  sendRaw(res, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", {});
}
