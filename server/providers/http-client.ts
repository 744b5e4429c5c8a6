import "server-only";

import type { z } from "zod";

import type { FailureCode, ProviderId } from "@/lib/domain";
import { redact, registerSecret } from "@/server/redact";

import {
  failureForHttpStatus,
  ProviderError,
  UNREADABLE_ANSWER,
  type ProviderErrorInit,
  type SafeCause,
} from "./provider-error";

export { FAILURE_MESSAGES, isProviderError, isProviderFault, ProviderError } from "./provider-error";

/** An adapter's reading of a documented error answer; anything left out falls back to the HTTP status. */
export interface ErrorRefinement {
  code?: FailureCode;
  retryable?: boolean;
  message?: string;
  upstreamCode?: string;
}

/** `json` is the parsed body when it was JSON; `text` is the raw body, for matching only, never shown. */
export type ErrorMapper = (answer: {
  status: number;
  json: unknown;
  text: string;
}) => ErrorRefinement | undefined;

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface HttpClientOptions {
  provider: ProviderId;
  apiKey?: string;
  /** Builds the headers that carry the key; they go on the wire and nowhere else. */
  authHeaders: (apiKey: string) => Record<string, string>;
  timeoutMs: number;
  mapError?: ErrorMapper;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
}

export interface RequestInit {
  headers?: Record<string, string>;
}

export interface ProviderHttpClient {
  /** A status read: retried with exponential backoff and full jitter on network errors, 429 and 5xx. */
  getJson<S extends z.ZodType>(url: string, schema: S, init?: RequestInit): Promise<z.output<S>>;
  /** A billable submit: sent exactly once, never retried. */
  postJson<S extends z.ZodType>(
    url: string,
    body: unknown,
    schema: S,
    init?: RequestInit,
  ): Promise<z.output<S>>;
  /** Builds a ProviderError for this provider. */
  error(init: ProviderErrorInit): ProviderError;
}

const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 300,
  maxDelayMs: 3000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// System codes meaning the request never left this machine, so a submit cannot have been accepted.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

type Phase = "submit" | "status";

export function createHttpClient(options: HttpClientOptions): ProviderHttpClient {
  const doFetch = options.fetch ?? fetch;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const secrets = options.apiKey ? [options.apiKey] : [];
  registerSecret(options.apiKey);
  const error = (init: ProviderErrorInit) => new ProviderError(options.provider, init);

  async function send(method: "GET" | "POST", url: string, phase: Phase, body: unknown, init?: RequestInit) {
    if (!options.apiKey) {
      throw error({
        code: "provider_auth",
        retryable: false,
        kind: "config",
        message: "No API key is configured for this provider.",
      });
    }
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method,
        headers: { ...init?.headers, ...options.authHeaders(options.apiKey) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
        // A redirect would carry the key headers to wherever it points; it is answered as an error.
        redirect: "manual",
      });
      text = await response.text();
    } catch (cause) {
      throw wireError(cause, phase);
    }
    const json = parseJson(text);
    if (!response.ok) throw httpError(response.status, json, text);
    return { status: response.status, json };
  }

  function wireError(cause: unknown, phase: Phase): ProviderError {
    const safe = safeCause(cause, secrets);
    if (safe.name === "TimeoutError" || safe.name === "AbortError") {
      return error({
        code: "timeout",
        retryable: true,
        kind: "timeout",
        ambiguous: phase === "submit",
        cause: safe,
      });
    }
    const notSent = safe.code !== undefined && NOT_SENT_CODES.has(safe.code);
    return error({
      code: "provider_error",
      retryable: true,
      kind: "network",
      message: notSent ? "The provider could not be reached." : "The connection to the provider failed.",
      ambiguous: phase === "submit" && !notSent,
      cause: safe,
    });
  }

  function httpError(status: number, json: unknown, text: string): ProviderError {
    const fallback = failureForHttpStatus(status);
    let refined: ErrorRefinement | undefined;
    try {
      refined = options.mapError?.({ status, json, text });
    } catch {
      refined = undefined;
    }
    return error({
      code: refined?.code ?? fallback.code,
      retryable: refined?.retryable ?? fallback.retryable,
      kind: "http",
      httpStatus: status,
      ...(refined?.message ? { message: refined.message } : {}),
      ...(refined?.upstreamCode ? { upstreamCode: refined.upstreamCode } : {}),
    });
  }

  function validate<S extends z.ZodType>(
    schema: S,
    json: unknown,
    phase: Phase,
    status: number,
  ): z.output<S> {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw error({
      code: "provider_error",
      // A submit answered 2xx was probably taken; resending it could charge twice.
      retryable: phase === "status",
      kind: "malformed",
      message: UNREADABLE_ANSWER,
      ambiguous: phase === "submit",
      httpStatus: status,
    });
  }

  return {
    error,
    async postJson(url, body, schema, init) {
      const answer = await send("POST", url, "submit", body, init);
      return validate(schema, answer.json, "submit", answer.status);
    },
    async getJson(url, schema, init) {
      for (let attempt = 1; ; attempt++) {
        try {
          const answer = await send("GET", url, "status", undefined, init);
          return validate(schema, answer.json, "status", answer.status);
        } catch (caught) {
          if (!(caught instanceof ProviderError) || attempt >= retry.attempts || !isTransient(caught)) {
            throw caught;
          }
          const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
          await retry.sleep(Math.floor(retry.random() * ceiling));
        }
      }
    },
  };
}

function isTransient(error: ProviderError): boolean {
  if (!error.retryable) return false;
  if (error.kind === "network" || error.kind === "timeout") return true;
  return (
    error.kind === "http" &&
    error.httpStatus !== undefined &&
    (error.httpStatus === 429 || error.httpStatus >= 500)
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Keeps the class name and the system code of what was thrown, scrubbed of any secret. */
export function safeCause(cause: unknown, secrets: readonly string[]): SafeCause {
  const rawName = (cause as { name?: unknown } | null)?.name;
  const name = typeof rawName === "string" ? rawName : "Error";
  const inner = cause instanceof Error ? (cause.cause as { code?: unknown } | undefined) : undefined;
  const rawCode = (cause as { code?: unknown } | null)?.code ?? inner?.code;
  const code = typeof rawCode === "string" ? redact(rawCode, secrets) : undefined;
  return { name: redact(name, secrets), ...(code ? { code } : {}) };
}
