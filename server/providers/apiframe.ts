import "server-only";

import { z } from "zod";

import { PROVIDER_LABELS } from "@/lib/domain";

import { assertSupported, operation } from "./capabilities";
import { buildUrl, type ApiframeConfig } from "./config";
import { createHttpClient, type ErrorMapper, type AdapterDeps } from "./http-client";
import { readCallback, throwIt } from "./parse-callback";
import { mentionsContentPolicy, noImageFailure, reportedFailure } from "./provider-error";
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

// Apiframe (apiframe-reve-create.txt): create only, queued jobs, webhook through `webhook_url`.
// The document shows `jobId` and `status` on submit, and only `status` and `result` on a job:
// the in-between states, the id's name on a job and the error's shape are not given.

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

/**
 * Reads a job answer: `status` and `result` as documented; the id as `jobId` or `id` (or the one we
 * asked about); `result` as a URL, a list or an object of URLs. Undefined when there is no state.
 */
export function toApiframeStatus(answer: unknown, knownId?: string): NormalizedStatus | undefined {
  const providerJobId = knownId ?? readId(answer, "jobId", "id", "job_id");
  const state = readState(answer);
  if (!providerJobId || !state || !isRecord(answer)) return undefined;
  if (state === "QUEUED") return { state: "queued", providerJobId };
  if (state === "COMPLETED") {
    const urls = readUrls(answer.result);
    if (urls.length === 0) return { state: "failed", providerJobId, failure: noImageFailure() };
    return { state: "succeeded", providerJobId, outputs: urls.map((url) => ({ url })) };
  }
  if (namesFailure(state)) {
    return {
      state: "failed",
      providerJobId,
      failure: reportedFailure(readError(answer.error).text),
    };
  }
  if (state !== "PROCESSING") noteUnknownState("apiframe", state);
  return { state: "processing", providerJobId };
}

export function createApiframeProvider(config: ApiframeConfig, deps: AdapterDeps = {}): ReveProvider {
  const http = createHttpClient({
    ...deps,
    provider: "apiframe",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ "X-API-Key": key }),
    timeoutMs: config.timeoutMs,
    mapError,
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
      const answer = await http.postJson(buildUrl(config.baseUrl, config.paths.generate), body, anyObject, {
        headers: { "Content-Type": "application/json" },
      });
      return toApiframeStatus(answer) ?? throwIt(http.malformed("submit"));
    },

    async getStatus(providerJobId) {
      const answer = await http.getJson(
        buildUrl(config.baseUrl, config.paths.status, providerJobId),
        anyObject,
      );
      return toApiframeStatus(answer, providerJobId) ?? throwIt(http.malformed("status"));
    },

    parseCallback(rawBody) {
      return readCallback("apiframe", rawBody, (json) => toApiframeStatus(json));
    },
  };
}
