import "server-only";

import type { z } from "zod";

import type { FailureCode, ProviderId } from "@/lib/domain";
import { metrics } from "@/server/ops/metrics";
import { redact, registerSecret } from "@/server/redact";

import { recordAnswer } from "./answers";

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
  /** The document says a submit answered this way created nothing, so failing over is safe. */
  notCreated?: boolean;
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
  /** Waits for an outbound slot (shared rate limit); throws a ProviderError when none comes in time. */
  beforeRequest?: (phase: Phase) => Promise<void>;
  /** Told the wait a 429 asked for, so that the shared limit holds every instance back too. */
  onRetryAfter?: (ms: number) => Promise<void>;
}

/** What an adapter takes besides its configuration. */
export interface AdapterDeps {
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  beforeRequest?: HttpClientOptions["beforeRequest"];
  onRetryAfter?: HttpClientOptions["onRetryAfter"];
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
  /** The error for an answer that could not be read. */
  malformed(phase: Phase, status?: number): ProviderError;
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

export type Phase = "submit" | "status";

// A status URL may redirect to itself with a trailing slash; a few hops on the same origin are
// followed, anything else is answered as an error (a redirect elsewhere would carry the key).
const MAX_REDIRECTS = 3;
// A Retry-After longer than this is not slept through inside one status read.
const MAX_RETRY_AFTER_SLEEP_MS = 5_000;

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
    await options.beforeRequest?.(phase);
    let response: Response;
    let text: string;
    let target = url;
    const timer = metrics().resellerCalls.startTimer({ reseller: options.provider, phase });
    try {
      for (let hop = 0; ; hop++) {
        response = await doFetch(target, {
          method,
          headers: { ...init?.headers, ...options.authHeaders(options.apiKey) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(options.timeoutMs),
          redirect: "manual",
        });
        const next = method === "GET" && hop < MAX_REDIRECTS ? sameOriginRedirect(target, response) : null;
        if (!next) break;
        await response.arrayBuffer().catch(() => undefined);
        target = next;
      }
      text = await response.text();
    } catch (cause) {
      const failure = wireError(cause, phase);
      timer({ outcome: failure.kind === "timeout" ? "timeout" : "network" });
      throw logged(failure, phase);
    }
    timer({ outcome: `${Math.floor(response.status / 100)}xx` });
    recordAnswer({ provider: options.provider, operation: phase, httpStatus: response.status, body: text });
    const json = parseJson(text);
    if (!response.ok) {
      const retryAfterMs = readRetryAfter(response.headers.get("retry-after"));
      if (response.status === 429 && retryAfterMs !== undefined) {
        await options.onRetryAfter?.(retryAfterMs).catch(() => undefined);
      }
      throw logged(httpError(response.status, json, text, phase, retryAfterMs), phase);
    }
    return { status: response.status, json };
  }

  function logged(e: ProviderError, phase: Phase): ProviderError {
    console.warn(
      `provider ${options.provider} ${phase}: HTTP ${e.httpStatus ?? "-"} ${e.code}` +
        `${e.upstreamCode ? ` (${redact(e.upstreamCode, secrets)})` : ""} ${e.kind}${e.ambiguous ? " ambiguous" : ""}`,
    );
    return e;
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

  function httpError(
    status: number,
    json: unknown,
    text: string,
    phase: Phase,
    retryAfterMs: number | undefined,
  ): ProviderError {
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
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      // A 5xx or 408 after the request arrived may come from a gateway in front of a reseller that
      // took the job: unless the document says nothing was created, it may have been billed.
      ambiguous: phase === "submit" && (status >= 500 || status === 408) && !refined?.notCreated,
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
    throw malformed(phase, status);
  }

  function malformed(phase: Phase, status?: number): ProviderError {
    return error({
      code: "provider_error",
      // A submit answered 2xx was probably taken; resending it could charge twice.
      retryable: phase === "status",
      kind: "malformed",
      message: UNREADABLE_ANSWER,
      ambiguous: phase === "submit",
      ...(status !== undefined ? { httpStatus: status } : {}),
    });
  }

  return {
    error,
    malformed,
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
          // A Retry-After is honoured: slept through when short, else left to the next poll.
          if (caught.retryAfterMs !== undefined && caught.retryAfterMs > MAX_RETRY_AFTER_SLEEP_MS)
            throw caught;
          const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
          await retry.sleep(Math.max(caught.retryAfterMs ?? 0, Math.floor(retry.random() * ceiling)));
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

function sameOriginRedirect(from: string, response: Response): string | null {
  if (![301, 302, 303, 307, 308].includes(response.status)) return null;
  const location = response.headers.get("location");
  if (!location) return null;
  try {
    const next = new URL(location, from);
    return next.origin === new URL(from).origin ? next.toString() : null;
  } catch {
    return null;
  }
}

/** Seconds or an HTTP date, as milliseconds; undefined when absent or unreadable. */
export function readRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
