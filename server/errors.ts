import "server-only";

/** Every error a user or a client may see, with its HTTP status. */
export const APP_ERROR_STATUS = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  payload_too_large: 413,
  unsupported_media: 415,
  insufficient_credits: 402,
  rate_limited: 429,
  too_many_jobs: 429,
  conflict: 409,
  provider_unavailable: 503,
  internal: 500,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

/** An error whose message is safe to show to the user as it is. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  /** Seconds until a retry may succeed, for rate limits. */
  readonly retryAfter?: number;

  constructor(code: AppErrorCode, message: string, options?: { retryAfter?: number; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.status = APP_ERROR_STATUS[code];
    this.retryAfter = options?.retryAfter;
  }
}

export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: AppErrorCode; message: string; retryAfter?: number } };

/** Turns anything thrown into a result a form can show; unknown errors never leak their text. */
export function toActionError(error: unknown): Extract<ActionResult<never>, { ok: false }> {
  if (error instanceof AppError) {
    return { ok: false, error: { code: error.code, message: error.message, retryAfter: error.retryAfter } };
  }
  console.error("Unexpected error", error instanceof Error ? error.name : typeof error);
  return { ok: false, error: { code: "internal", message: "Something went wrong on our side. Try again." } };
}
