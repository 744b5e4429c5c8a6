import { capabilityGap, type Needs } from "./capabilities";
import type { Operation, ProviderId } from "./domain";
import type { ProviderSummary, StudioConfig } from "./dto";

export type { Needs };

// Which provider can serve which settings, worked out in the browser from the studio config so the
// form can disable what cannot be sent and say why, before anything is submitted.

export type ProviderChoice = "auto" | ProviderId;

const OPERATION_NOUNS: Record<Operation, string> = { create: "create", edit: "edit", remix: "remix" };

function offered(provider: ProviderSummary): string {
  const ops = (Object.keys(provider.operations) as Operation[]).map((op) => OPERATION_NOUNS[op]);
  return ops.length === 0 ? "nothing" : ops.join(" and ");
}

/** Why this provider cannot serve these settings, in words a user understands; undefined if it can. */
export function providerReason(provider: ProviderSummary, op: Operation, needs: Needs): string | undefined {
  if (!provider.enabled) return `${provider.label} is switched off on this studio.`;
  const gap = capabilityGap(provider.operations, op, needs);
  switch (gap?.kind) {
    case undefined:
      return undefined;
    case "operation":
      return `${provider.label} offers ${offered(provider)} only.`;
    case "aspectRatio":
      return gap.offered.length === 1 && gap.offered[0] === "1:1"
        ? `${provider.label} makes square images only.`
        : `${provider.label} has no ${gap.aspectRatio} format.`;
    case "seed":
      return `${provider.label} has no seed.`;
    case "negativePrompt":
      return `${provider.label} has no negative prompt.`;
    case "images":
      return gap.min === gap.max
        ? `${provider.label} takes exactly ${gap.min} image${gap.min === 1 ? "" : "s"}.`
        : `${provider.label} takes ${gap.min} to ${gap.max} images.`;
  }
}

/** The enabled providers that offer the operation at all, in the config's order. */
export const candidates = (config: StudioConfig, op: Operation) =>
  config.providers.filter((p) => p.enabled && p.operations[op]);

function describeNeeds(needs: Needs): string {
  const parts: string[] = [];
  if (needs.aspectRatio) parts.push(`the ${needs.aspectRatio} format`);
  if (needs.seed) parts.push("a fixed seed");
  if (needs.negativePrompt) parts.push("a negative prompt");
  if (parts.length <= 1) return parts[0] ?? "these settings";
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/**
 * Why the choice ("auto" or one provider) cannot serve these settings; undefined if it can. For
 * "auto", some enabled provider must take all of them at once.
 */
export function choiceReason(
  config: StudioConfig,
  op: Operation,
  choice: ProviderChoice,
  needs: Needs,
): string | undefined {
  if (choice !== "auto") {
    const provider = config.providers.find((p) => p.id === choice);
    return provider ? providerReason(provider, op, needs) : "That provider is not available.";
  }
  const able = candidates(config, op);
  if (able.length === 0) return `No provider offers ${OPERATION_NOUNS[op]} on this studio right now.`;
  if (able.some((p) => providerReason(p, op, needs) === undefined)) return undefined;
  return `No provider takes ${describeNeeds(needs)} together.`;
}

/** Whether any provider the choice covers offers this option at all (to show or hide a field). */
export function choiceOffers(
  config: StudioConfig,
  op: Operation,
  choice: ProviderChoice,
  option: "seed" | "negativePrompt",
): boolean {
  const pool = choice === "auto" ? candidates(config, op) : config.providers.filter((p) => p.id === choice);
  return pool.some((p) => p.enabled && p.operations[op]?.[option]);
}
