import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS, type FailureCode } from "@/lib/domain";

import { ALL_RATIOS, assertSupported, operation } from "./capabilities";
import { buildUrl, type Reve2imgConfig } from "./config";
import { createHttpClient, type ErrorMapper, type ErrorRefinement, type RetryPolicy } from "./http-client";
import {
  failure,
  failureForHttpStatus,
  mentionsContentPolicy,
  UNREADABLE_ANSWER,
  noImageFailure,
} from "./provider-error";
import type { NormalizedStatus, ProviderCapabilities, ProviderFailure, ReveProvider } from "./types";

// reve2img (reve2img-api-reference.txt): one generate endpoint for every model, an envelope
// `{code, message, data}` on every answer, and synchronous models that answer SUCCESS at once.

const task = z.object({
  task_id: z.string().min(1),
  status: z.enum(["IN_PROGRESS", "SUCCESS", "FAILED"]),
  consumed_credits: z.number().nonnegative().nullish(),
  response: z.object({ resultUrls: z.array(z.url()).nullish() }).nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

const envelope = z.object({ code: z.number().int(), message: z.string(), data: task.nullish() });

const errorEnvelope = z.object({ code: z.number().optional(), message: z.string() });

/** The doc's error table: every `message` it lists, read as one of our failure codes. */
export const REVE2IMG_ERRORS: Record<string, { code: FailureCode; retryable: boolean; message?: string }> = {
  INVALID_PROMPT: {
    code: "invalid_input",
    retryable: false,
    message: "The provider found the prompt missing or empty.",
  },
  INVALID_MODEL: {
    code: "invalid_input",
    retryable: false,
    message: "The provider does not offer the configured model.",
  },
  INVALID_PARAMETER: {
    code: "invalid_input",
    retryable: false,
    message: "The provider rejected a parameter of the request.",
  },
  CONTENT_POLICY_VIOLATION: { code: "content_policy", retryable: false },
  INVALID_API_KEY: { code: "provider_auth", retryable: false },
  INSUFFICIENT_CREDITS: { code: "provider_quota", retryable: false },
  TASK_NOT_FOUND: {
    code: "provider_error",
    retryable: false,
    message: "The provider has no record of this job.",
  },
  RATE_LIMITED: { code: "rate_limited", retryable: true },
  TOO_MANY_TASKS: {
    code: "rate_limited",
    retryable: true,
    message: "The provider has too many jobs in flight. Try again in a moment.",
  },
  GENERATION_FAILED: { code: "provider_error", retryable: true },
  SERVICE_UNAVAILABLE: {
    code: "provider_error",
    retryable: true,
    message: "The provider's model is temporarily unavailable.",
  },
  TIMEOUT: { code: "timeout", retryable: true, message: "The provider's job timed out." },
};

function refine(upstream: string | null | undefined): ErrorRefinement | undefined {
  const known = upstream ? REVE2IMG_ERRORS[upstream] : undefined;
  return known && upstream ? { ...known, upstreamCode: upstream } : undefined;
}

const mapError: ErrorMapper = ({ json }) => {
  const body = errorEnvelope.safeParse(json);
  return body.success ? refine(body.data.message) : undefined;
};

function taskFailure(error: z.output<typeof task>["error"]): ProviderFailure {
  const known = refine(error?.code);
  if (known?.code) return failure(known.code, known.retryable ?? false, known.message);
  return mentionsContentPolicy(error?.message)
    ? failure("content_policy", false)
    : failure("provider_error", false);
}

export function toReve2imgStatus(data: z.output<typeof task>): NormalizedStatus {
  const providerJobId = data.task_id;
  if (data.status === "IN_PROGRESS") return { state: "processing", providerJobId };
  if (data.status === "FAILED") return { state: "failed", providerJobId, failure: taskFailure(data.error) };
  const urls = data.response?.resultUrls ?? [];
  if (urls.length === 0) {
    return { state: "failed", providerJobId, failure: noImageFailure() };
  }
  return {
    state: "succeeded",
    providerJobId,
    outputs: urls.map((url) => ({ url })),
    ...(typeof data.consumed_credits === "number" ? { consumedCredits: data.consumed_credits } : {}),
  };
}

export function reve2imgCapabilities(config: Reve2imgConfig): ProviderCapabilities {
  return {
    operations: {
      create: operation(ALL_RATIOS),
      ...(config.models.edit ? { edit: operation([], { images: [1, 1] }) } : {}),
      ...(config.models.remix ? { remix: operation(ALL_RATIOS, { images: [1, 4] }) } : {}),
    },
    webhooks: false,
  };
}

export function createReve2imgProvider(
  config: Reve2imgConfig,
  deps: { fetch?: typeof fetch; retry?: Partial<RetryPolicy> } = {},
): ReveProvider {
  const capabilities = reve2imgCapabilities(config);
  const http = createHttpClient({
    provider: "reve2img",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
    timeoutMs: config.timeoutMs,
    mapError,
    fetch: deps.fetch,
    retry: deps.retry,
  });

  // A 2xx envelope may still carry an error code; it is read like an HTTP error answer.
  function unwrap(answer: z.output<typeof envelope>, phase: "submit" | "status") {
    if (answer.code === 200 && answer.data) return answer.data;
    if (answer.code !== 200) {
      const known = refine(answer.message);
      const fallback = failureForHttpStatus(answer.code);
      throw http.error({
        code: known?.code ?? fallback.code,
        retryable: known?.retryable ?? fallback.retryable,
        kind: "upstream",
        ...(known?.message ? { message: known.message } : {}),
        ...(known?.upstreamCode ? { upstreamCode: known.upstreamCode } : {}),
      });
    }
    throw http.error({
      code: "provider_error",
      retryable: phase === "status",
      kind: "malformed",
      message: UNREADABLE_ANSWER,
      ambiguous: phase === "submit",
    });
  }

  function statusUrl(taskId: string): string {
    if (config.paths.status.includes("{id}")) return buildUrl(config.baseUrl, config.paths.status, taskId);
    const url = new URL(buildUrl(config.baseUrl, config.paths.status));
    url.searchParams.set("task_id", taskId);
    return url.toString();
  }

  return {
    id: "reve2img",
    label: PROVIDER_LABELS.reve2img,
    capabilities,

    async submit(op, input) {
      assertSupported("reve2img", capabilities, op, input);
      const model =
        op === "create" ? config.models.create : op === "edit" ? config.models.edit : config.models.remix;
      const body = {
        model,
        prompt: input.prompt,
        ...(input.aspectRatio ? { aspect_ratio: input.aspectRatio } : {}),
        ...(op === "create" ? {} : { image_urls: input.imageUrls ?? [] }),
      };
      const answer = await http.postJson(buildUrl(config.baseUrl, config.paths.generate), body, envelope, {
        headers: { "Content-Type": "application/json" },
      });
      return toReve2imgStatus(unwrap(answer, "submit"));
    },

    async getStatus(providerJobId) {
      return toReve2imgStatus(unwrap(await http.getJson(statusUrl(providerJobId), envelope), "status"));
    },
  };
}
