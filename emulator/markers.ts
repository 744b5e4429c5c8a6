// Failure injection by markers in the prompt, e.g. "a cat [emu:fail]" (case-insensitive, anywhere).

/** HTTP statuses a `[emu:NNN]` marker makes the submit answer. */
export const STATUS_MARKERS = [400, 401, 402, 403, 429, 500, 503, 504] as const;
export type MarkerStatus = (typeof STATUS_MARKERS)[number];

/** How a job that was accepted ends. */
export type JobOutcome = "success" | "fail" | "error" | "policy" | "never";

export interface Markers {
  /** The submit answers this status in the reseller's error shape. */
  status?: MarkerStatus;
  /** reve2img answers 429 TOO_MANY_TASKS (others a plain 429). */
  tooMany: boolean;
  /** The submit never answers. */
  timeout: boolean;
  /** The submit answers 2xx with a body that is not the documented shape. */
  malformed: boolean;
  /** Status reads answer a malformed body. */
  malformedStatus: boolean;
  /** The job takes this long instead of the configured jobMs. */
  slowMs?: number;
  /** Two result URLs instead of one. */
  multi: boolean;
  /** The outcome the prompt asks for; undefined leaves it to failRate. */
  outcome?: Exclude<JobOutcome, "success">;
  /** How the answers drift from the documents, for the studio's tolerant readers. */
  drift: Drift;
}

/**
 * Plausible answers the documents leave open, one marker each:
 * `[emu:id]` the job id as `id` (Apiframe's `jobId`, Pixazo's `request_id`, reve2img's `task_id`);
 * `[emu:inbetween]` an undocumented in-between state (IN_PROGRESS, processing, RUNNING, PROCESSING);
 * `[emu:oneurl]` a single URL string where a list is documented;
 * `[emu:numcode]` a failure's error as `{code: 500, message: "GENERATION_FAILED"}`;
 * `[emu:slash]` the status URL answers 301 to itself with a trailing slash;
 * `[emu:retryafter=N]` a 429's Retry-After in seconds;
 * `[emu:gateway502]` the job is accepted, then a gateway answers the submit 502 (HTML);
 * `[emu:status401]` the job runs, but its status reads answer 401.
 */
export interface Drift {
  idField: boolean;
  inBetween: boolean;
  oneUrl: boolean;
  numericCode: boolean;
  slash: boolean;
  retryAfterSeconds?: number;
  gateway502: boolean;
  status401: boolean;
}

const MARKER = /\[emu:([a-z0-9-]+)(?:=(\d+))?\]/gi;

export function parseMarkers(prompt: string): Markers {
  const markers: Markers = {
    tooMany: false,
    timeout: false,
    malformed: false,
    malformedStatus: false,
    multi: false,
    drift: {
      idField: false,
      inBetween: false,
      oneUrl: false,
      numericCode: false,
      slash: false,
      gateway502: false,
      status401: false,
    },
  };
  const drift = markers.drift;
  for (const match of prompt.matchAll(MARKER)) {
    const name = (match[1] ?? "").toLowerCase();
    const value = match[2];
    const status = Number(name);
    if ((STATUS_MARKERS as readonly number[]).includes(status)) markers.status = status as MarkerStatus;
    else if (name === "fail" || name === "error" || name === "policy" || name === "never")
      markers.outcome = name;
    else if (name === "toomany") markers.tooMany = true;
    else if (name === "timeout") markers.timeout = true;
    else if (name === "malformed") markers.malformed = true;
    else if (name === "malformed-status") markers.malformedStatus = true;
    else if (name === "multi") markers.multi = true;
    else if (name === "slow" && value !== undefined) markers.slowMs = Number(value);
    else if (name === "id") drift.idField = true;
    else if (name === "inbetween") drift.inBetween = true;
    else if (name === "oneurl") drift.oneUrl = true;
    else if (name === "numcode") drift.numericCode = true;
    else if (name === "slash") drift.slash = true;
    else if (name === "retryafter" && value !== undefined) drift.retryAfterSeconds = Number(value);
    else if (name === "gateway502") drift.gateway502 = true;
    else if (name === "status401") drift.status401 = true;
  }
  return markers;
}

/** The prompt as a user would have written it, for rendering into the image. */
export function stripMarkers(prompt: string): string {
  return prompt.replace(MARKER, "").replace(/\s+/g, " ").trim();
}
