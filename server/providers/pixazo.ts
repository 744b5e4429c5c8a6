import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS } from "@/lib/domain";

import { acceptsCallback, ALL_RATIOS, assertSupported, operation } from "./capabilities";
import { buildUrl, type PixazoConfig } from "./config";
import { createHttpClient, type ErrorMapper, type AdapterDeps } from "./http-client";
import { readCallback, throwIt } from "./parse-callback";
import { failure, mentionsContentPolicy, noImageFailure, reportedFailure } from "./provider-error";
import {
  anyObject,
  isRecord,
  namesFailure,
  noteUnknownState,
  readError,
  readId,
  readState,
  readUrls,
} from "./read";
import type { NormalizedStatus, ProviderCapabilities, ReveProvider } from "./types";

// Pixazo gateway (pixazo-reve-edit-remix.txt): edit and remix only, queued jobs, optional webhooks.

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
  if (status === 402 || error === "Insufficient Balance")
    return { ...upstream, code: "provider_quota", retryable: false };
  return undefined;
};

/**
 * Reads a status answer: `request_id` (or `id`), QUEUED → PROCESSING → COMPLETED / FAILED / ERROR,
 * `output.media_url` as a list (or one URL).
 */
export function toPixazoStatus(answer: unknown, knownId?: string): NormalizedStatus | undefined {
  const providerJobId = knownId ?? readId(answer, "request_id", "requestId", "id");
  const state = readState(answer);
  if (!providerJobId || !state || !isRecord(answer)) return undefined;
  if (state === "QUEUED") return { state: "queued", providerJobId };
  if (state === "COMPLETED") {
    const output = isRecord(answer.output) ? answer.output : {};
    const urls = readUrls(output.media_url);
    if (urls.length === 0) return { state: "failed", providerJobId, failure: noImageFailure() };
    const mediaType = typeof output.media_type === "string" ? output.media_type : undefined;
    return {
      state: "succeeded",
      providerJobId,
      outputs: urls.map((url) => ({ url, ...(mediaType ? { mediaType } : {}) })),
    };
  }
  if (state === "ERROR") {
    return {
      state: "failed",
      providerJobId,
      failure: failure("provider_error", true, "The provider had a system error; this job was not charged."),
    };
  }
  if (namesFailure(state)) {
    return {
      state: "failed",
      providerJobId,
      failure: reportedFailure(readError(answer.error).text),
    };
  }
  if (state !== "PROCESSING") noteUnknownState("pixazo", state);
  return { state: "processing", providerJobId };
}

export function createPixazoProvider(config: PixazoConfig, deps: AdapterDeps = {}): ReveProvider {
  const http = createHttpClient({
    ...deps,
    provider: "pixazo",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ "Ocp-Apim-Subscription-Key": key }),
    timeoutMs: config.timeoutMs,
    mapError,
  });

  // Without inputs it can fetch, the gateway can do nothing: both its operations are off.
  const capabilities: ProviderCapabilities = config.inputsReachable
    ? PIXAZO_CAPABILITIES
    : { ...PIXAZO_CAPABILITIES, operations: {} };

  return {
    id: "pixazo",
    label: PROVIDER_LABELS.pixazo,
    capabilities,

    async submit(op, input, options) {
      assertSupported("pixazo", capabilities, op, input);
      const images = input.imageUrls ?? [];
      // The gateway refuses plain-http callbacks, so without https the job is polled instead.
      const webhook = acceptsCallback(capabilities, options?.callbackUrl) ? options?.callbackUrl : undefined;
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
      const answer = await http.postJson(buildUrl(config.baseUrl, path), body, anyObject, { headers });
      // Only the id and the state are read from the submit answer.
      const id = readId(answer, "request_id", "requestId", "id");
      return toPixazoStatus({ request_id: id, status: answer.status }) ?? throwIt(http.malformed("submit"));
    },

    async getStatus(providerJobId) {
      const answer = await http.getJson(
        buildUrl(config.baseUrl, config.paths.status, providerJobId),
        anyObject,
      );
      return toPixazoStatus(answer, providerJobId) ?? throwIt(http.malformed("status"));
    },

    parseCallback(rawBody) {
      return readCallback("pixazo", rawBody, (json) => toPixazoStatus(json));
    },
  };
}
