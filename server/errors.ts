import "server-only";

import type { ActionError, AppErrorCode, FieldErrors } from "@/lib/action-result";

/** Every error a user or a client may see, with its HTTP status. */
export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
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
};

export type { AppErrorCode };

export interface AppErrorOptions {
  /** Seconds until a retry may succeed, for rate limits. */
  retryAfter?: number;
  /** Per-field messages when a form's input was refused. */
  fieldErrors?: FieldErrors;
  /** Thrown before any credit moved: the UI adds "Nothing was charged." */
  nothingCharged?: boolean;
  cause?: unknown;
}

/** An error whose message is safe to show to the user as it is. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly retryAfter?: number;
  readonly fieldErrors?: FieldErrors;
  readonly nothingCharged: boolean;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = APP_ERROR_STATUS[code];
    this.retryAfter = options.retryAfter;
    this.fieldErrors = options.fieldErrors;
    this.nothingCharged = options.nothingCharged ?? false;
  }

  /** What a client sees of this error: the action result's and the JSON answer's `error`. */
  toJSON(): ActionError {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      ...(this.fieldErrors && Object.keys(this.fieldErrors).length > 0
        ? { fieldErrors: this.fieldErrors }
        : {}),
      ...(this.nothingCharged ? { nothingCharged: true as const } : {}),
    };
  }
}

export const INTERNAL_MESSAGE = "Something went wrong on our side. Try again.";
