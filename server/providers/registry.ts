import "server-only";

import type { OperationsOffered } from "@/lib/capabilities";
import { PROVIDER_IDS, type Operation, type ProviderId } from "@/lib/domain";
import { env } from "@/server/env";

import { createApiframeProvider } from "./apiframe";
import { unsupportedReason, type ProviderNeeds } from "./capabilities";
import { createCircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker";
import { providerConfigFromEnv, type ProvidersConfig } from "./config";
import type { RetryPolicy } from "./http-client";
import { createPixazoProvider } from "./pixazo";
import { createReve2imgProvider } from "./reve2img";
import { createReveartProvider } from "./reveart";
import type { ReveProvider } from "./types";

export interface RegistryDeps {
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  breaker?: Partial<CircuitBreakerOptions>;
  /** Replaces built adapters, for tests of the code that routes jobs. */
  providers?: Partial<Record<ProviderId, ReveProvider>>;
}

export interface CapabilitiesSummary {
  priority: ProviderId[];
  providers: {
    id: ProviderId;
    label: string;
    enabled: boolean;
    webhooks: boolean;
    operations: OperationsOffered;
  }[];
}

export interface ProviderRegistry {
  readonly config: ProvidersConfig;
  /** Every adapter, enabled or not, so that jobs already sent can still be followed. */
  get(id: ProviderId): ReveProvider;
  isEnabled(id: ProviderId): boolean;
  list(): ReveProvider[];
  enabled(): ReveProvider[];
  /**
   * The providers to try, best first. "auto": every enabled provider that can serve the job, in
   * PROVIDER_PRIORITY order, with recently failing ones moved to the end. A named provider: just
   * that one if it is enabled and capable, else none (`whyNot` says why).
   */
  candidates(op: Operation, needs: ProviderNeeds, requested: ProviderId | "auto"): ReveProvider[];
  /** Why a named provider cannot serve a job, or undefined when it can. */
  whyNot(op: Operation, needs: ProviderNeeds, id: ProviderId): string | undefined;
  markFailed(id: ProviderId): void;
  markHealthy(id: ProviderId): void;
  capabilitiesSummary(): CapabilitiesSummary;
}

export function createProviderRegistry(config: ProvidersConfig, deps: RegistryDeps = {}): ProviderRegistry {
  const adapterDeps = { fetch: deps.fetch, retry: deps.retry };
  const adapters: Record<ProviderId, ReveProvider> = {
    pixazo: deps.providers?.pixazo ?? createPixazoProvider(config.pixazo, adapterDeps),
    apiframe: deps.providers?.apiframe ?? createApiframeProvider(config.apiframe, adapterDeps),
    reve2img: deps.providers?.reve2img ?? createReve2imgProvider(config.reve2img, adapterDeps),
    reveart: deps.providers?.reveart ?? createReveartProvider(config.reveart, adapterDeps),
  };
  const breaker = createCircuitBreaker(deps.breaker);
  // Providers left out of PROVIDER_PRIORITY still serve, after the listed ones.
  const order = [...new Set([...config.priority, ...PROVIDER_IDS])];
  const isEnabled = (id: ProviderId) => config[id].enabled;

  function whyNot(op: Operation, needs: ProviderNeeds, id: ProviderId): string | undefined {
    if (!isEnabled(id)) return `${adapters[id].label} is not enabled on this studio.`;
    return unsupportedReason(adapters[id].capabilities, op, needs);
  }

  return {
    config,
    get: (id) => adapters[id],
    isEnabled,
    list: () => PROVIDER_IDS.map((id) => adapters[id]),
    enabled: () => order.filter(isEnabled).map((id) => adapters[id]),
    whyNot,
    candidates(op, needs, requested) {
      if (requested !== "auto") return whyNot(op, needs, requested) ? [] : [adapters[requested]];
      const capable = order.filter((id) => !whyNot(op, needs, id));
      const healthy = capable.filter((id) => !breaker.isOpen(id));
      const tripped = capable.filter((id) => breaker.isOpen(id));
      return [...healthy, ...tripped].map((id) => adapters[id]);
    },
    markFailed: (id) => breaker.recordFailure(id),
    markHealthy: (id) => breaker.recordSuccess(id),
    capabilitiesSummary: () => ({
      priority: order,
      providers: PROVIDER_IDS.map((id) => ({
        id,
        label: adapters[id].label,
        enabled: isEnabled(id),
        webhooks: adapters[id].capabilities.webhooks,
        operations: structuredClone(adapters[id].capabilities.operations),
      })),
    }),
  };
}

let defaultRegistry: ProviderRegistry | undefined;

/** The app's registry, built from the environment on first use. */
export function getProviderRegistry(): ProviderRegistry {
  defaultRegistry ??= createProviderRegistry(providerConfigFromEnv(env));
  return defaultRegistry;
}
