import type { ZodError } from "zod";

// The answer of every server action, as the browser receives it. Declared here, on both sides, so
// forms and hooks read the same type the server builds (server/actions/define-action.ts).

/** Every error code a user or a client may see; server/errors.ts maps each to an HTTP status. */
export const APP_ERROR_CODES = [
  "unauthorized",
  "forbidden",
  "not_found",
  "invalid_input",
  "payload_too_large",
  "unsupported_media",
  "insufficient_credits",
  "rate_limited",
  "too_many_jobs",
  "conflict",
  "provider_unavailable",
  "internal",
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** The first message for each field of a form, by field name. */
export type FieldErrors = Record<string, string>;

export interface ActionError {
  code: AppErrorCode;
  /** Safe to show as it is. */
  message: string;
  /** Seconds until a retry may succeed, for rate limits. */
  retryAfter?: number;
  /** Per-field messages when the input was refused, for inline display. */
  fieldErrors?: FieldErrors;
  /** The refusal came before any credit moved; the UI says so (see `errorText`). */
  nothingCharged?: true;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** The first message per field (the first segment of each issue's path) of a zod error. */
export function fieldErrorsOf(error: ZodError | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error?.issues ?? []) {
    const field = String(issue.path[0] ?? "");
    if (field && !(field in out)) out[field] = issue.message;
  }
  return out;
}

export const NOTHING_CHARGED = "Nothing was charged.";

/** An error as a form shows it: its message, then whether credits were left untouched. */
export function errorText(error: Pick<ActionError, "message" | "nothingCharged">): string {
  return error.nothingCharged ? `${error.message} ${NOTHING_CHARGED}` : error.message;
}
