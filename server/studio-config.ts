import "server-only";

import { MAX_REFERENCES, PROMPT_MAX } from "@/lib/domain";
import type { ProviderSummary, StudioConfig } from "@/lib/dto";
import { env } from "@/server/env";
import { type CapabilitiesSummary, getProviderRegistry } from "@/server/providers/registry";

/** What the studio pages show before a submit: prices, what each provider offers, and limits. */
export function getStudioConfig(): StudioConfig {
  const registry = getProviderRegistry();
  // The form shows the operators' switches as last read; this read keeps them at most seconds old
  // for the next page (a submit always reads them fresh before routing).
  void registry.refreshSwitches();
  return {
    prices: { create: env.PRICE_CREATE, edit: env.PRICE_EDIT, remix: env.PRICE_REMIX },
    providers: providerSummaries(registry.capabilitiesSummary()),
    limits: {
      promptMax: PROMPT_MAX,
      maxReferences: MAX_REFERENCES,
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
      submitsPerMinute: env.RATE_LIMIT_SUBMITS_PER_MINUTE,
      jobsInFlight: env.MAX_JOBS_IN_FLIGHT,
    },
  };
}

/** The providers as the form sees them, in priority order: the order "Auto" tries them. */
export function providerSummaries(summary: CapabilitiesSummary): ProviderSummary[] {
  const byId = new Map(summary.providers.map((p) => [p.id, p]));
  return summary.priority.flatMap((id) => {
    const p = byId.get(id);
    return p ? [{ id: p.id, label: p.label, enabled: p.enabled, operations: p.operations }] : [];
  });
}
