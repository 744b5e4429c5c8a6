import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS } from "@/lib/domain";

import { assertSupported, operation } from "./capabilities";
import { buildUrl, type ApiframeConfig } from "./config";
import { createHttpClient, type ErrorMapper, type RetryPolicy } from "./http-client";
import { parseJsonBody } from "./parse-callback";
import { failure, mentionsContentPolicy, noImageFailure } from "./provider-error";
import type { NormalizedStatus, ProviderCapabilities, ReveProvider } from "./types";

// Apiframe (apiframe-reve-create.txt): create only, queued jobs, webhook through `webhook_url`.

const STATUSES = ["QUEUED", "PROCESSING", "COMPLETED", "FAILED"] as const;

const submitAnswer = z.object({ jobId: z.string().min(1), status: z.enum(STATUSES) });

const jobAnswer = z.object({
  jobId: z.string().min(1),
  status: z.enum(STATUSES),
  result: z.union([z.url(), z.array(z.url())]).nullish(),
  error: z.string().nullish(),
});

const errorBody = z.object({ error: z.string().optional(), message: z.string().optional() });

// The request has no ratio field, so every image comes out square.
export const APIFRAME_CAPABILITIES: ProviderCapabilities = {
  operations: { create: operation(["1:1"], { seed: true }) },
  webhooks: true,
};

// Error answers are not documented; only a content-policy refusal is told apart from the HTTP status.
const mapError: ErrorMapper = ({ status, json }) => {
  const body = errorBody.safeParse(json);
  if (status === 400 && body.success && mentionsContentPolicy(`${body.data.error} ${body.data.message}`)) {
    return { code: "content_policy", retryable: false };
  }
  return undefined;
};

export function toApiframeStatus(job: z.output<typeof jobAnswer>): NormalizedStatus {
  const providerJobId = job.jobId;
  switch (job.status) {
    case "QUEUED":
      return { state: "queued", providerJobId };
    case "PROCESSING":
      return { state: "processing", providerJobId };
    case "COMPLETED": {
      const urls = job.result === undefined || job.result === null ? [] : [job.result].flat();
      if (urls.length === 0) {
        return { state: "failed", providerJobId, failure: noImageFailure() };
      }
      return { state: "succeeded", providerJobId, outputs: urls.map((url) => ({ url })) };
    }
    case "FAILED":
      return {
        state: "failed",
        providerJobId,
        failure: mentionsContentPolicy(job.error)
          ? failure("content_policy", false)
          : failure("provider_error", false),
      };
  }
}

export function createApiframeProvider(
  config: ApiframeConfig,
  deps: { fetch?: typeof fetch; retry?: Partial<RetryPolicy> } = {},
): ReveProvider {
  const http = createHttpClient({
    provider: "apiframe",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ "X-API-Key": key }),
    timeoutMs: config.timeoutMs,
    mapError,
    fetch: deps.fetch,
    retry: deps.retry,
  });

  return {
    id: "apiframe",
    label: PROVIDER_LABELS.apiframe,
    capabilities: APIFRAME_CAPABILITIES,

    async submit(op, input, options) {
      assertSupported("apiframe", APIFRAME_CAPABILITIES, op, input);
      const body = {
        prompt: input.prompt,
        model: config.model,
        ...(input.seed !== undefined ? { reveParams: { seed: input.seed } } : {}),
        ...(options?.callbackUrl ? { webhook_url: options.callbackUrl } : {}),
      };
      const answer = await http.postJson(
        buildUrl(config.baseUrl, config.paths.generate),
        body,
        submitAnswer,
        {
          headers: { "Content-Type": "application/json" },
        },
      );
      return toApiframeStatus(answer);
    },

    async getStatus(providerJobId) {
      return toApiframeStatus(
        await http.getJson(buildUrl(config.baseUrl, config.paths.status, providerJobId), jobAnswer),
      );
    },

    parseCallback(rawBody) {
      return toApiframeStatus(parseJsonBody("apiframe", rawBody, jobAnswer));
    },
  };
}
