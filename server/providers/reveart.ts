import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS } from "@/lib/domain";

import { ALL_RATIOS, assertSupported, operation } from "./capabilities";
import { buildUrl, type ReveartConfig } from "./config";
import { createHttpClient, type ErrorMapper, type RetryPolicy } from "./http-client";
import { failure, mentionsContentPolicy, noImageFailure } from "./provider-error";
import type { NormalizedStatus, ProviderCapabilities, ReveProvider } from "./types";

// reve-art (reve-art-api.txt): create only, answered at once (sync) or as a pending job (async).
// Errors come as text bodies and only their HTTP status is documented.

const imageAnswer = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  url: z.url().nullish(),
  metadata: z
    .object({ width: z.number().int().positive().nullish(), height: z.number().int().positive().nullish() })
    .nullish(),
  error: z.unknown().optional(),
});

export const REVEART_CAPABILITIES: ProviderCapabilities = {
  operations: { create: operation(ALL_RATIOS, { negativePrompt: true }) },
  webhooks: false,
};

const mapError: ErrorMapper = ({ status, text }) =>
  status === 400 && mentionsContentPolicy(text) ? { code: "content_policy", retryable: false } : undefined;

// Only `pending` and `completed` are documented; any other value is read as a failure.
export function toReveartStatus(answer: z.output<typeof imageAnswer>): NormalizedStatus {
  const providerJobId = answer.id;
  if (answer.status === "pending") return { state: "queued", providerJobId };
  if (answer.status !== "completed") {
    return {
      state: "failed",
      providerJobId,
      failure: mentionsContentPolicy(answer.error)
        ? failure("content_policy", false)
        : failure("provider_error", false),
    };
  }
  if (!answer.url) {
    return { state: "failed", providerJobId, failure: noImageFailure() };
  }
  const width = answer.metadata?.width ?? undefined;
  const height = answer.metadata?.height ?? undefined;
  return {
    state: "succeeded",
    providerJobId,
    outputs: [{ url: answer.url, ...(width ? { width } : {}), ...(height ? { height } : {}) }],
  };
}

export function createReveartProvider(
  config: ReveartConfig,
  deps: { fetch?: typeof fetch; retry?: Partial<RetryPolicy> } = {},
): ReveProvider {
  const http = createHttpClient({
    provider: "reveart",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
    timeoutMs: config.timeoutMs,
    mapError,
    fetch: deps.fetch,
    retry: deps.retry,
  });

  return {
    id: "reveart",
    label: PROVIDER_LABELS.reveart,
    capabilities: REVEART_CAPABILITIES,

    async submit(op, input) {
      assertSupported("reveart", REVEART_CAPABILITIES, op, input);
      const negative = input.negativePrompt?.trim() ? { negative_prompt: input.negativePrompt } : {};
      const body = {
        prompt: input.prompt,
        ...negative,
        aspect_ratio: input.aspectRatio ?? "1:1",
        async: config.async,
      };
      const answer = await http.postJson(buildUrl(config.baseUrl, config.paths.generate), body, imageAnswer, {
        headers: { "Content-Type": "application/json" },
      });
      return toReveartStatus(answer);
    },

    async getStatus(providerJobId) {
      return toReveartStatus(
        await http.getJson(buildUrl(config.baseUrl, config.paths.status, providerJobId), imageAnswer),
      );
    },
  };
}
