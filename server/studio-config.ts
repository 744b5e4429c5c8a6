import "server-only";

import { MAX_REFERENCES, PROMPT_MAX } from "@/lib/domain";
import type { StudioConfig } from "@/lib/dto";
import { env } from "@/server/env";
import { getProviderRegistry } from "@/server/providers/registry";

/** What the studio pages show before a submit: prices, what each provider offers, and limits. */
export function getStudioConfig(): StudioConfig {
  const summary = getProviderRegistry().capabilitiesSummary();
  const byId = new Map(summary.providers.map((p) => [p.id, p]));
  return {
    prices: { create: env.PRICE_CREATE, edit: env.PRICE_EDIT, remix: env.PRICE_REMIX },
    // In priority order, the order "Auto" tries them.
    providers: summary.priority.flatMap((id) => {
      const p = byId.get(id);
      if (!p) return [];
      const operations = Object.fromEntries(
        Object.entries(p.operations).map(([op, caps]) => [
          op,
          { ...caps, aspectRatios: [...caps.aspectRatios] },
        ]),
      );
      return [{ id: p.id, label: p.label, enabled: p.enabled, operations }];
    }),
    limits: {
      promptMax: PROMPT_MAX,
      maxReferences: MAX_REFERENCES,
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
      submitsPerMinute: env.RATE_LIMIT_SUBMITS_PER_MINUTE,
      jobsInFlight: env.MAX_JOBS_IN_FLIGHT,
    },
  };
}
