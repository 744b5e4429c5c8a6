import type { AspectRatio, Operation } from "./domain";

// Which settings a provider can take for an operation: one rule for the form, which greys out what
// cannot be sent (lib/provider-support.ts), and for routing, which picks the providers to try
// (server/providers/capabilities.ts). Each words the answer for its own reader.

/** What a provider takes for one operation. */
export interface OperationCapabilities {
  /** The aspect ratios it can be asked for; empty: it takes none (an edit keeps its input's). */
  aspectRatios: readonly AspectRatio[];
  seed: boolean;
  negativePrompt: boolean;
  /** Input images: 0 for create, 1 for edit, 1–4 for remix. */
  minImages: number;
  maxImages: number;
}

export type OperationsOffered = Partial<Record<Operation, OperationCapabilities>>;

/** What a job asks of a provider. */
export interface Needs {
  aspectRatio?: AspectRatio;
  seed?: boolean;
  negativePrompt?: boolean;
  /** Input images; left out while none is chosen yet, which nothing refuses. */
  images?: number;
}

/** The first thing a provider cannot do of what a job asks, most basic first. */
export type CapabilityGap =
  | { kind: "operation" }
  | { kind: "aspectRatio"; aspectRatio: AspectRatio; offered: readonly AspectRatio[] }
  | { kind: "seed" }
  | { kind: "negativePrompt" }
  | { kind: "images"; images: number; min: number; max: number };

/** Why these capabilities cannot serve the job, or undefined when they can. */
export function capabilityGap(
  operations: OperationsOffered,
  op: Operation,
  needs: Needs,
): CapabilityGap | undefined {
  const caps = operations[op];
  if (!caps) return { kind: "operation" };
  if (needs.aspectRatio !== undefined && !caps.aspectRatios.includes(needs.aspectRatio)) {
    return { kind: "aspectRatio", aspectRatio: needs.aspectRatio, offered: caps.aspectRatios };
  }
  if (needs.seed && !caps.seed) return { kind: "seed" };
  if (needs.negativePrompt && !caps.negativePrompt) return { kind: "negativePrompt" };
  if (needs.images !== undefined && (needs.images < caps.minImages || needs.images > caps.maxImages)) {
    return { kind: "images", images: needs.images, min: caps.minImages, max: caps.maxImages };
  }
  return undefined;
}
