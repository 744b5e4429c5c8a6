import "server-only";

import { PROVIDER_LABELS } from "@/lib/domain";

import { ALL_RATIOS, assertSupported, operation } from "./capabilities";
import { buildUrl, type ReveartConfig } from "./config";
import { createHttpClient, type ErrorMapper, type AdapterDeps } from "./http-client";
import { throwIt } from "./parse-callback";
import { mentionsContentPolicy, noImageFailure, reportedFailure } from "./provider-error";
import {
  anyObject,
  isRecord,
  namesFailure,
  noteUnknownState,
  readDimension,
  readError,
  readId,
  readState,
  readUrls,
} from "./read";
import type { NormalizedStatus, ProviderCapabilities, ReveProvider } from "./types";

// reve-art (reve-art-api.txt): create only, answered at once (sync) or as a pending job (async).
// Errors come as text bodies and only their HTTP status is documented.

export const REVEART_CAPABILITIES: ProviderCapabilities = {
  operations: { create: operation(ALL_RATIOS, { negativePrompt: true }) },
  webhooks: false,
};

const mapError: ErrorMapper = ({ status, text }) =>
  status === 400 && mentionsContentPolicy(text) ? { code: "content_policy", retryable: false } : undefined;

/**
 * Reads an image answer. Documented: `id`, `status` pending → completed, `url`, `metadata`. The
 * failure shape is not: a state that names failure ends the job, any other unknown one keeps it
 * running (logged once).
 */
export function toReveartStatus(answer: unknown, knownId?: string): NormalizedStatus | undefined {
  const providerJobId = knownId ?? readId(answer, "id", "imageId", "image_id");
  const state = readState(answer);
  if (!providerJobId || !state || !isRecord(answer)) return undefined;
  if (state === "PENDING") return { state: "queued", providerJobId };
  if (state === "COMPLETED") {
    const url = readUrls(answer.url)[0] ?? readUrls(answer)[0];
    if (!url) return { state: "failed", providerJobId, failure: noImageFailure() };
    const metadata = isRecord(answer.metadata) ? answer.metadata : {};
    const width = readDimension(metadata.width);
    const height = readDimension(metadata.height);
    return {
      state: "succeeded",
      providerJobId,
      outputs: [{ url, ...(width ? { width } : {}), ...(height ? { height } : {}) }],
    };
  }
  if (namesFailure(state)) {
    return {
      state: "failed",
      providerJobId,
      failure: reportedFailure(readError(answer.error).text),
    };
  }
  noteUnknownState("reveart", state);
  return { state: "processing", providerJobId };
}

export function createReveartProvider(config: ReveartConfig, deps: AdapterDeps = {}): ReveProvider {
  const http = createHttpClient({
    ...deps,
    provider: "reveart",
    apiKey: config.apiKey,
    authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
    timeoutMs: config.timeoutMs,
    mapError,
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
      const answer = await http.postJson(buildUrl(config.baseUrl, config.paths.generate), body, anyObject, {
        headers: { "Content-Type": "application/json" },
      });
      return toReveartStatus(answer) ?? throwIt(http.malformed("submit"));
    },

    async getStatus(providerJobId) {
      const answer = await http.getJson(
        buildUrl(config.baseUrl, config.paths.status, providerJobId),
        anyObject,
      );
      return toReveartStatus(answer, providerJobId) ?? throwIt(http.malformed("status"));
    },
  };
}
