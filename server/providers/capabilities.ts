import "server-only";

import { capabilityGap, type Needs, type OperationCapabilities } from "@/lib/capabilities";
import { ASPECT_RATIOS, type AspectRatio, type Operation, type ProviderId } from "@/lib/domain";

import { ProviderError } from "./provider-error";
import type { GenerationRequest, ProviderCapabilities } from "./types";

/** What a job asks of a provider, for routing: the number of images is always known. */
export type ProviderNeeds = Needs & { images: number };

export const ALL_RATIOS: readonly AspectRatio[] = ASPECT_RATIOS;

export function operation(
  aspectRatios: readonly AspectRatio[],
  options: { seed?: boolean; negativePrompt?: boolean; images?: [min: number, max: number] } = {},
): OperationCapabilities {
  const [minImages, maxImages] = options.images ?? [0, 0];
  return {
    aspectRatios,
    seed: options.seed ?? false,
    negativePrompt: options.negativePrompt ?? false,
    minImages,
    maxImages,
  };
}

/** Why a provider cannot serve a job, or undefined when it can. */
export function unsupportedReason(
  capabilities: ProviderCapabilities,
  op: Operation,
  needs: ProviderNeeds,
): string | undefined {
  const gap = capabilityGap(capabilities.operations, op, needs);
  switch (gap?.kind) {
    case undefined:
      return undefined;
    case "operation":
      return `This provider does not offer ${op}.`;
    case "aspectRatio":
      return gap.offered.length === 0
        ? `This provider does not take an aspect ratio for ${op}.`
        : `This provider does not offer the ${gap.aspectRatio} aspect ratio for ${op}.`;
    case "seed":
      return "This provider does not take a seed.";
    case "negativePrompt":
      return "This provider does not take a negative prompt.";
    case "images":
      return gap.max === 0
        ? `This provider does not take input images for ${op}.`
        : gap.min === gap.max
          ? `This provider needs exactly ${gap.min} image(s) for ${op}.`
          : `This provider needs ${gap.min} to ${gap.max} images for ${op}.`;
  }
}

export function needsOf(input: GenerationRequest): ProviderNeeds {
  return {
    ...(input.aspectRatio !== undefined ? { aspectRatio: input.aspectRatio } : {}),
    seed: input.seed !== undefined,
    negativePrompt: input.negativePrompt !== undefined && input.negativePrompt.trim() !== "",
    images: input.imageUrls?.length ?? 0,
  };
}

/** Refuses, before anything is sent, a job the provider's declared capabilities cannot serve. */
export function assertSupported(
  provider: ProviderId,
  capabilities: ProviderCapabilities,
  op: Operation,
  input: GenerationRequest,
): void {
  const reason =
    input.prompt.trim() === ""
      ? "A prompt is required."
      : unsupportedReason(capabilities, op, needsOf(input));
  if (reason)
    throw new ProviderError(provider, {
      code: "invalid_input",
      retryable: false,
      kind: "input",
      message: reason,
    });
}

/** Whether the provider will call this URL back: the one rule both the adapter and the lifecycle use. */
export function acceptsCallback(capabilities: ProviderCapabilities, url: string | undefined): url is string {
  if (!url || !capabilities.webhooks) return false;
  if (!capabilities.webhooksHttpsOnly) return true;
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}
