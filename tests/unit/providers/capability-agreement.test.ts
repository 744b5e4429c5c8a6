import { emulatorConfig } from "../../contract/support/config";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { Needs, OperationCapabilities } from "@/lib/capabilities";
import { ASPECT_RATIOS, OPERATIONS, PROVIDER_IDS, type Operation, type ProviderId } from "@/lib/domain";
import type { StudioConfig } from "@/lib/dto";
import { choiceReason, type ProviderChoice } from "@/lib/provider-support";
import { createProviderRegistry } from "@/server/providers/registry";
import type { ReveProvider } from "@/server/providers/types";
import { providerSummaries } from "@/server/studio-config";

// The create form greys out what no provider can take, and routing picks the providers to try. If
// they disagreed, the form would offer a job that is then refused (or hide one that would run). For
// any capabilities the resellers could declare, any switched-off set and any settings a form can
// send, both must give the same answer.

const operationCaps: fc.Arbitrary<OperationCapabilities> = fc
  .record({
    aspectRatios: fc.subarray([...ASPECT_RATIOS]),
    seed: fc.boolean(),
    negativePrompt: fc.boolean(),
    bounds: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
  })
  .map(({ bounds: [a, b], ...rest }) => ({ ...rest, minImages: Math.min(a, b), maxImages: Math.max(a, b) }));

const providerArb = fc.record({
  enabled: fc.boolean(),
  operations: fc.record(
    Object.fromEntries(OPERATIONS.map((op) => [op, operationCaps])) as Record<
      Operation,
      fc.Arbitrary<OperationCapabilities>
    >,
    { requiredKeys: [] },
  ),
});

interface Studio {
  providers: Record<
    ProviderId,
    { enabled: boolean; operations: Partial<Record<Operation, OperationCapabilities>> }
  >;
  priority: ProviderId[];
}

const studioArb: fc.Arbitrary<Studio> = fc.record({
  providers: fc.record(
    Object.fromEntries(PROVIDER_IDS.map((id) => [id, providerArb])) as Record<ProviderId, typeof providerArb>,
  ),
  priority: fc.shuffledSubarray([...PROVIDER_IDS]),
});

// What a submit sends: a create has no image, an edit one, a remix one to four.
const jobArb = fc.constantFrom(...OPERATIONS).chain((op) =>
  fc.record({
    op: fc.constant(op),
    choice: fc.constantFrom<ProviderChoice>("auto", ...PROVIDER_IDS),
    needs: fc.record({
      aspectRatio: fc.option(fc.constantFrom(...ASPECT_RATIOS), { nil: undefined }),
      seed: fc.boolean(),
      negativePrompt: fc.boolean(),
      images:
        op === "create" ? fc.constant(0) : op === "edit" ? fc.constant(1) : fc.integer({ min: 1, max: 4 }),
    }) satisfies fc.Arbitrary<Needs & { images: number }>,
  }),
);

function build(studio: Studio) {
  const vars: Record<string, string> = { PROVIDER_PRIORITY: studio.priority.join(",") };
  for (const id of PROVIDER_IDS) vars[`${id.toUpperCase()}_ENABLED`] = String(studio.providers[id].enabled);
  const providers = Object.fromEntries(
    PROVIDER_IDS.map((id) => [
      id,
      {
        id,
        label: id,
        capabilities: { operations: studio.providers[id].operations, webhooks: false },
      } as ReveProvider,
    ]),
  );
  const registry = createProviderRegistry(emulatorConfig(4999, vars), { providers });
  const config: StudioConfig = {
    prices: { create: 1, edit: 1, remix: 1 },
    providers: providerSummaries(registry.capabilitiesSummary()),
    limits: { promptMax: 1, maxReferences: 4, uploadMaxBytes: 1, submitsPerMinute: 1, jobsInFlight: 1 },
  };
  return { registry, config };
}

describe("the form and routing agree on what a provider can take", () => {
  it("for every declared capability, switched-off set and job a form can send", () => {
    fc.assert(
      fc.property(studioArb, jobArb, (studio, { op, choice, needs }) => {
        const { registry, config } = build(studio);
        const formAccepts = choiceReason(config, op, choice, needs) === undefined;
        const routingAccepts = registry.candidates(op, needs, choice).length > 0;
        expect(formAccepts).toBe(routingAccepts);
      }),
      { numRuns: 500 },
    );
  });

  it("a provider that lists no aspect ratio takes none, in the form as in routing", () => {
    const studio = {
      priority: [...PROVIDER_IDS],
      providers: Object.fromEntries(
        PROVIDER_IDS.map((id) => [
          id,
          {
            enabled: id === "pixazo",
            operations: {
              edit: { aspectRatios: [], seed: false, negativePrompt: false, minImages: 1, maxImages: 1 },
            },
          },
        ]),
      ) as unknown as Studio["providers"],
    };
    const { registry, config } = build(studio);
    const needs = { aspectRatio: "16:9" as const, images: 1 };
    expect(choiceReason(config, "edit", "pixazo", needs)).toBe("pixazo has no 16:9 format.");
    expect(registry.candidates("edit", needs, "pixazo")).toEqual([]);
    expect(choiceReason(config, "edit", "pixazo", { images: 1 })).toBeUndefined();
    expect(registry.candidates("edit", { images: 1 }, "pixazo")).toHaveLength(1);
  });
});
