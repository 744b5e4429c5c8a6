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
}

const MARKER = /\[emu:([a-z0-9-]+)(?:=(\d+))?\]/gi;

export function parseMarkers(prompt: string): Markers {
  const markers: Markers = {
    tooMany: false,
    timeout: false,
    malformed: false,
    malformedStatus: false,
    multi: false,
  };
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
  }
  return markers;
}

/** The prompt as a user would have written it, for rendering into the image. */
export function stripMarkers(prompt: string): string {
  return prompt.replace(MARKER, "").replace(/\s+/g, " ").trim();
}
