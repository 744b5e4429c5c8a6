import "server-only";

import type { FailureCode, ProviderId } from "@/lib/domain";

import type { ProviderFailure } from "./types";

/** What a user reads for each failure code; adapters may give a more precise sentence. */
export const FAILURE_MESSAGES: Record<FailureCode, string> = {
  content_policy: "The provider rejected the prompt under its content policy.",
  invalid_input: "The provider rejected the request as invalid.",
  provider_auth: "The provider refused the studio's credentials.",
  provider_quota: "The provider account has run out of balance.",
  rate_limited: "The provider is busy right now. Try again in a moment.",
  timeout: "The provider did not answer in time.",
  provider_error: "The provider failed to make the image.",
};

export const UNREADABLE_ANSWER = "The provider sent an answer the studio could not read.";

/**
 * Where the error arose: `config` and `input` before anything was sent, `network` and `timeout`
 * on the wire, `http` for a non-2xx answer, `upstream` for an error inside a 2xx answer,
 * `malformed` for an answer we could not read, `limit` when our own outbound limit held it back.
 */
export type ProviderErrorKind =
  "config" | "input" | "network" | "timeout" | "http" | "upstream" | "malformed" | "limit";

/** Only the error's class and system code survive, so nothing secret rides along as `cause`. */
export interface SafeCause {
  name: string;
  code?: string;
}

export interface ProviderErrorInit {
  code: FailureCode;
  retryable: boolean;
  kind: ProviderErrorKind;
  message?: string;
  httpStatus?: number;
  /** The provider may have accepted the job (a submit that timed out or was cut mid-answer). */
  ambiguous?: boolean;
  /** A documented, enumerated provider error code (never free text from the provider). */
  upstreamCode?: string;
  /** The wait a 429 asked for. */
  retryAfterMs?: number;
  cause?: SafeCause;
}

/**
 * The one error every adapter throws. Its message is safe to show and its properties never hold a
 * key or an upstream body; `accepted: false` says the provider did not take a billable job, unless
 * `ambiguous` says it may have.
 */
// A brand rather than `instanceof`: a built server may load this module once per bundle
// (instrumentation, actions, routes), and an error made by one copy must be known by the others.
const BRAND = Symbol.for("reve-studio.ProviderError");

export class ProviderError extends Error {
  readonly [BRAND] = true;
  readonly provider: ProviderId;
  readonly code: FailureCode;
  readonly retryable: boolean;
  readonly kind: ProviderErrorKind;
  readonly httpStatus?: number;
  readonly accepted = false as const;
  readonly ambiguous: boolean;
  readonly upstreamCode?: string;
  readonly retryAfterMs?: number;

  constructor(provider: ProviderId, init: ProviderErrorInit) {
    super(init.message ?? FAILURE_MESSAGES[init.code], init.cause ? { cause: init.cause } : undefined);
    this.name = "ProviderError";
    this.provider = provider;
    this.code = init.code;
    this.retryable = init.retryable;
    this.kind = init.kind;
    this.ambiguous = init.ambiguous ?? false;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.upstreamCode !== undefined) this.upstreamCode = init.upstreamCode;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  toFailure(): ProviderFailure {
    return { code: this.code, retryable: this.retryable, message: this.message };
  }

  toJSON() {
    return {
      name: this.name,
      provider: this.provider,
      code: this.code,
      retryable: this.retryable,
      kind: this.kind,
      message: this.message,
      accepted: this.accepted,
      ambiguous: this.ambiguous,
      ...(this.httpStatus !== undefined ? { httpStatus: this.httpStatus } : {}),
      ...(this.upstreamCode !== undefined ? { upstreamCode: this.upstreamCode } : {}),
    };
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return (
    error instanceof ProviderError ||
    (typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true)
  );
}

/** A failure for a job state, with the default sentence for its code unless one is given. */
export function failure(code: FailureCode, retryable: boolean, message?: string): ProviderFailure {
  return { code, retryable, message: message ?? FAILURE_MESSAGES[code] };
}

/** A job the reseller reports failed: a content-policy refusal when its error text says so. */
export function reportedFailure(errorText: unknown): ProviderFailure {
  return mentionsContentPolicy(errorText)
    ? failure("content_policy", false)
    : failure("provider_error", false);
}

/** A job the provider called done but that came with no image to fetch. */
export function noImageFailure(): ProviderFailure {
  return failure("provider_error", true, "The provider finished without an image.");
}

/**
 * Whether a submit's refusal proves the reseller did not take the job and another reseller may:
 * auth, balance, quota, rate limit, or any other refusal that is not about the request itself.
 * A 5xx, a timeout or an unreadable 2xx is ambiguous and never qualifies.
 */
export function isCertainRefusal(error: ProviderError): boolean {
  if (error.ambiguous) return false;
  return error.code !== "invalid_input" && error.code !== "content_policy";
}

/**
 * Whether a failure says something about the provider's health (for the registry's `markFailed`)
 * rather than about the request: a refused prompt or invalid input is the same at every provider.
 */
export function isProviderFault(code: FailureCode): boolean {
  return code !== "invalid_input" && code !== "content_policy";
}

/** The default reading of an HTTP status; adapters refine it with their documented bodies. */
export function failureForHttpStatus(status: number): { code: FailureCode; retryable: boolean } {
  if (status === 401 || status === 403) return { code: "provider_auth", retryable: false };
  if (status === 402) return { code: "provider_quota", retryable: false };
  if (status === 429) return { code: "rate_limited", retryable: true };
  if (status === 408) return { code: "timeout", retryable: true };
  if (status >= 500) return { code: "provider_error", retryable: true };
  // Only a refusal of the request itself is invalid input; any other 4xx (a wrong path, a
  // conflict) says something about the reseller, and another one may take the job.
  if (status === 400 || status === 413 || status === 415 || status === 422)
    return { code: "invalid_input", retryable: false };
  if (status >= 400) return { code: "provider_error", retryable: false };
  return { code: "provider_error", retryable: false };
}

// Free-text failure reasons are never shown, but a content-policy refusal deserves its own code.
const CONTENT_POLICY_TEXT = /content[\s_-]*policy|moderation|nsfw|unsafe content|safety (system|filter)/i;

export function mentionsContentPolicy(text: unknown): boolean {
  return typeof text === "string" && CONTENT_POLICY_TEXT.test(text);
}
