import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS, type FailureCode } from "@/lib/domain";

import { ALL_RATIOS, assertSupported, operation } from "./capabilities";
import { buildUrl, type Reve2imgConfig } from "./config";
import { createHttpClient, type ErrorMapper, type ErrorRefinement, type AdapterDeps } from "./http-client";
import { throwIt } from "./parse-callback";
import { failure, failureForHttpStatus, mentionsContentPolicy, noImageFailure } from "./provider-error";
import {
  anyObject,
  isRecord,
  namesFailure,
  noteUnknownState,
  readError,
  readId,
  readNumericCode,
  readState,
  readUrls,
} from "./read";
import type { NormalizedStatus, ProviderCapabilities, ProviderFailure, ReveProvider } from "./types";

// reve2img (reve2img-api-reference.txt): one generate endpoint for every model, an envelope
// `{code, message, data}` on every answer, and synchronous models that answer SUCCESS at once.

const errorEnvelope = z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string() });

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

// The document calls these "safe to retry": the task was not created, so another reseller may take it.
const NOT_CREATED = new Set(["GENERATION_FAILED", "SERVICE_UNAVAILABLE"]);

function refine(upstream: string | null | undefined): ErrorRefinement | undefined {
  const known = upstream && Object.hasOwn(REVE2IMG_ERRORS, upstream) ? REVE2IMG_ERRORS[upstream] : undefined;
  return known && upstream
    ? { ...known, upstreamCode: upstream, ...(NOT_CREATED.has(upstream) ? { notCreated: true } : {}) }
    : undefined;
}

const mapError: ErrorMapper = ({ json }) => {
  const body = errorEnvelope.safeParse(json);
  return body.success ? refine(readError(body.data).machine) : undefined;
};

// "data.error contains a code and message" (types not given): the machine text may be in either.
function taskFailure(error: unknown): ProviderFailure {
  const read = readError(error);
  const known = refine(read.machine);
  if (known?.code) return failure(known.code, known.retryable ?? false, known.message);
  return mentionsContentPolicy(read.text)
    ? failure("content_policy", false)
    : failure("provider_error", false);
}

/** Reads a task: `task_id` (or `id`), IN_PROGRESS → SUCCESS / FAILED, `response.resultUrls`. */
export function toReve2imgStatus(data: unknown, knownId?: string): NormalizedStatus | undefined {
  const providerJobId = knownId ?? readId(data, "task_id", "taskId", "id");
  const state = readState(data);
  if (!providerJobId || !state || !isRecord(data)) return undefined;
  if (state === "IN_PROGRESS") return { state: "processing", providerJobId };
  if (state === "SUCCESS") {
    const urls = readUrls(isRecord(data.response) ? data.response.resultUrls : undefined);
    const found = urls.length > 0 ? urls : readUrls(data.response);
    if (found.length === 0) return { state: "failed", providerJobId, failure: noImageFailure() };
    const credits = typeof data.consumed_credits === "number" && data.consumed_credits >= 0;
    return {
      state: "succeeded",
      providerJobId,
      outputs: found.map((url) => ({ url })),
      ...(credits ? { consumedCredits: data.consumed_credits as number } : {}),
    };
  }
  if (namesFailure(state)) return { state: "failed", providerJobId, failure: taskFailure(data.error) };
  noteUnknownState("reve2img", state);
  return { state: "processing", providerJobId };
}

export function reve2imgCapabilities(config: Reve2imgConfig): ProviderCapabilities {
  return {
    operations: {
      ...(config.models.create ? { create: operation(ALL_RATIOS) } : {}),
      ...(config.models.edit && config.inputsReachable ? { edit: operation([], { images: [1, 1] }) } : {}),
      ...(config.models.remix && config.inputsReachable
        ? { remix: operation(ALL_RATIOS, { images: [1, 4] }) }
        : {}),
    },
    webhooks: false,
  };
}

export function createReve2imgProvider(config: Reve2imgConfig, deps: AdapterDeps = {}): ReveProvider {
  const capabilities = reve2imgCapabilities(config);
  const http = createHttpClient({
    ...deps,
    provider: "reve2img",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
    timeoutMs: config.timeoutMs,
    mapError,
  });

  // A 2xx envelope may still carry an error code; it is read like an HTTP error answer.
  function unwrap(answer: Record<string, unknown>, phase: "submit" | "status", knownId?: string) {
    // Only a number or a numeric string is a code; anything else in its place is not an error.
    const code = readNumericCode(answer.code);
    if (code !== undefined && code !== 200) {
      const known = refine(readError({ message: answer.message }).machine);
      const fallback = failureForHttpStatus(code);
      throw http.error({
        code: known?.code ?? fallback.code,
        retryable: known?.retryable ?? fallback.retryable,
        kind: "upstream",
        ...(known?.message ? { message: known.message } : {}),
        ...(known?.upstreamCode ? { upstreamCode: known.upstreamCode } : {}),
      });
    }
    return toReve2imgStatus(answer.data, knownId) ?? throwIt(http.malformed(phase));
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
      const answer = await http.postJson(buildUrl(config.baseUrl, config.paths.generate), body, anyObject, {
        headers: { "Content-Type": "application/json" },
      });
      return unwrap(answer, "submit");
    },

    async getStatus(providerJobId) {
      return unwrap(await http.getJson(statusUrl(providerJobId), anyObject), "status", providerJobId);
    },
  };
}
