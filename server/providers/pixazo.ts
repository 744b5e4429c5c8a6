import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS } from "@/lib/domain";

import { acceptsCallback, ALL_RATIOS, assertSupported, operation } from "./capabilities";
import { buildUrl, type PixazoConfig } from "./config";
import { createHttpClient, type ErrorMapper, type RetryPolicy } from "./http-client";
import { parseJsonBody } from "./parse-callback";
import { failure, mentionsContentPolicy, noImageFailure } from "./provider-error";
import type { NormalizedStatus, ProviderCapabilities, ReveProvider } from "./types";

// Pixazo gateway (pixazo-reve-edit-remix.txt): edit and remix only, queued jobs, optional webhooks.

const STATUSES = ["QUEUED", "PROCESSING", "COMPLETED", "FAILED", "ERROR"] as const;

const submitAnswer = z.object({
  request_id: z.string().min(1),
  status: z.enum(STATUSES),
  polling_url: z.string().optional(),
});

const statusAnswer = z.object({
  request_id: z.string().min(1),
  status: z.enum(STATUSES),
  error: z.string().nullish(),
  output: z.object({ media_url: z.array(z.url()).nullish(), media_type: z.string().nullish() }).nullish(),
});

const errorBody = z.object({ error: z.string().optional(), message: z.string().optional() });

export const PIXAZO_CAPABILITIES: ProviderCapabilities = {
  operations: {
    edit: operation([], { images: [1, 1] }),
    remix: operation(ALL_RATIOS, { images: [1, 4] }),
  },
  webhooks: true,
  webhooksHttpsOnly: true,
};

const mapError: ErrorMapper = ({ status, json }) => {
  const body = errorBody.safeParse(json);
  const error = body.success ? body.data.error : undefined;
  const upstream =
    error && ["Model not found", "Insufficient Balance"].includes(error) ? { upstreamCode: error } : {};
  if (status === 400) {
    if (error === "Model not found") {
      return {
        ...upstream,
        code: "invalid_input",
        message: "The provider does not offer the configured model version.",
      };
    }
    if (body.success && mentionsContentPolicy(`${body.data.error} ${body.data.message}`)) {
      return { code: "content_policy", retryable: false };
    }
  }
  if (status === 402) return { ...upstream, code: "provider_quota", retryable: false };
  return undefined;
};

export function toPixazoStatus(answer: z.output<typeof statusAnswer>): NormalizedStatus {
  const providerJobId = answer.request_id;
  switch (answer.status) {
    case "QUEUED":
      return { state: "queued", providerJobId };
    case "PROCESSING":
      return { state: "processing", providerJobId };
    case "COMPLETED": {
      const urls = answer.output?.media_url ?? [];
      if (urls.length === 0) {
        return { state: "failed", providerJobId, failure: noImageFailure() };
      }
      const mediaType = answer.output?.media_type ?? undefined;
      return {
        state: "succeeded",
        providerJobId,
        outputs: urls.map((url) => ({ url, ...(mediaType ? { mediaType } : {}) })),
      };
    }
    case "FAILED":
      return {
        state: "failed",
        providerJobId,
        failure: mentionsContentPolicy(answer.error)
          ? failure("content_policy", false)
          : failure("provider_error", false),
      };
    case "ERROR":
      return {
        state: "failed",
        providerJobId,
        failure: failure(
          "provider_error",
          true,
          "The provider had a system error; this job was not charged.",
        ),
      };
  }
}

export function createPixazoProvider(
  config: PixazoConfig,
  deps: { fetch?: typeof fetch; retry?: Partial<RetryPolicy> } = {},
): ReveProvider {
  const http = createHttpClient({
    provider: "pixazo",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ "Ocp-Apim-Subscription-Key": key }),
    timeoutMs: config.timeoutMs,
    mapError,
    fetch: deps.fetch,
    retry: deps.retry,
  });

  return {
    id: "pixazo",
    label: PROVIDER_LABELS.pixazo,
    capabilities: PIXAZO_CAPABILITIES,

    async submit(op, input, options) {
      assertSupported("pixazo", PIXAZO_CAPABILITIES, op, input);
      const images = input.imageUrls ?? [];
      // The gateway refuses plain-http callbacks, so without https the job is polled instead.
      const webhook = acceptsCallback(PIXAZO_CAPABILITIES, options?.callbackUrl)
        ? options?.callbackUrl
        : undefined;
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "Cache-Control": "no-cache",
      };
      if (webhook) {
        headers["X-Webhook-URL"] = webhook;
        headers["X-Webhook-Mode"] = config.webhookMode;
      }
      const body =
        op === "edit"
          ? {
              image: images[0],
              prompt: input.prompt,
              ...(config.versions.edit ? { version: config.versions.edit } : {}),
            }
          : {
              prompt: input.prompt,
              reference_images: images,
              ...(input.aspectRatio ? { aspect_ratio: input.aspectRatio } : {}),
              ...(config.versions.remix ? { version: config.versions.remix } : {}),
              ...(webhook ? { webhook, webhook_events_filter: ["completed"] } : {}),
            };
      const path = op === "edit" ? config.paths.edit : config.paths.remix;
      const answer = await http.postJson(buildUrl(config.baseUrl, path), body, submitAnswer, { headers });
      return toPixazoStatus({ request_id: answer.request_id, status: answer.status });
    },

    async getStatus(providerJobId) {
      const answer = await http.getJson(
        buildUrl(config.baseUrl, config.paths.status, providerJobId),
        statusAnswer,
      );
      return toPixazoStatus(answer);
    },

    parseCallback(rawBody) {
      return toPixazoStatus(parseJsonBody("pixazo", rawBody, statusAnswer));
    },
  };
}
