import "server-only";

import type { OperationsOffered } from "@/lib/capabilities";
import { PROVIDER_IDS, type Operation, type ProviderId } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";

import { createApiframeProvider } from "./apiframe";
import { unsupportedReason, type ProviderNeeds } from "./capabilities";
import { createCircuitBreaker, DEFAULT_BREAKER, type CircuitBreakerOptions } from "./circuit-breaker";
import { providerConfigFromEnv, type ProvidersConfig } from "./config";
import type { AdapterDeps, RetryPolicy } from "./http-client";
import { createOutboundLimiter, type OutboundLimiter } from "./outbound-limit";
import { createPixazoProvider } from "./pixazo";
import { createReve2imgProvider } from "./reve2img";
import { createReveartProvider } from "./reveart";
import {
  autoOrder,
  cachedSwitches,
  loadResellerSwitches,
  NO_SWITCHES,
  type SwitchesSource,
} from "./switches";
import type { ReveProvider } from "./types";

// Status-read pauses after a refused key: 30 s, doubling, at most 10 minutes.
const STATUS_PAUSE_MS = 30_000;
const STATUS_PAUSE_MAX_MS = 10 * 60_000;

export interface RegistryDeps {
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  breaker?: Partial<CircuitBreakerOptions>;
  /** Shared outbound rate limits; without one, nothing of ours limits the requests. */
  limiter?: OutboundLimiter;
  /** Replaces built adapters, for tests of the code that routes jobs. */
  providers?: Partial<Record<ProviderId, ReveProvider>>;
  /** The operators' run-time switches (ResellerSetting); without it, only the environment counts. */
  switches?: SwitchesSource;
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
  /** Configured in the environment and not switched off by an operator (as last read). */
  isEnabled(id: ProviderId): boolean;
  /**
   * Reads the operators' switches again when the cached ones are older than their TTL (2 s), so
   * that routing on this instance honours a change made on another within seconds.
   */
  refreshSwitches(): Promise<void>;
  /** Distrusts the cached switches (this process changed them), so the next submit reads them. */
  forgetSwitches(): void;
  /** Whether Auto keeps a provider at the back for now (its circuit is open on this instance). */
  circuitOpen(id: ProviderId): boolean;
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
  /** A certain refusal (key, balance, quota, rate limit): Auto tries it last for a cool-down. */
  markRefused(id: ProviderId, ms?: number): void;
  markHealthy(id: ProviderId): void;
  /**
   * Status reads refused (key or balance): polling of that provider pauses, each time longer, and
   * the operator is alerted. Returns the instant polling may resume.
   */
  pauseStatusReads(id: ProviderId): number;
  /** When polling of a provider may resume, or 0 when it is not paused. */
  statusPausedUntil(id: ProviderId): number;
  resumeStatusReads(id: ProviderId): void;
  capabilitiesSummary(): CapabilitiesSummary;
}

export function createProviderRegistry(config: ProvidersConfig, deps: RegistryDeps = {}): ProviderRegistry {
  const limiter = deps.limiter;
  const adapterDeps = (id: ProviderId): AdapterDeps => ({
    fetch: deps.fetch,
    retry: deps.retry,
    ...(limiter
      ? {
          beforeRequest: () => limiter.acquire(id),
          onRetryAfter: (ms: number) => limiter.holdBack(id, ms),
        }
      : {}),
  });
  const adapters: Record<ProviderId, ReveProvider> = {
    pixazo: deps.providers?.pixazo ?? createPixazoProvider(config.pixazo, adapterDeps("pixazo")),
    apiframe: deps.providers?.apiframe ?? createApiframeProvider(config.apiframe, adapterDeps("apiframe")),
    reve2img: deps.providers?.reve2img ?? createReve2imgProvider(config.reve2img, adapterDeps("reve2img")),
    reveart: deps.providers?.reveart ?? createReveartProvider(config.reveart, adapterDeps("reveart")),
  };
  const breaker = createCircuitBreaker(deps.breaker);
  const now = deps.breaker?.now ?? Date.now;
  const statusPauses = new Map<ProviderId, { until: number; count: number }>();
  const switches = deps.switches ? cachedSwitches(deps.switches) : undefined;
  const current = () => switches?.peek() ?? NO_SWITCHES;
  // Providers left out of PROVIDER_PRIORITY still serve, after the listed ones.
  const order = () => autoOrder(config.priority, current());
  const isEnabled = (id: ProviderId) => config[id].enabled && !current().disabled.has(id);

  function whyNot(op: Operation, needs: ProviderNeeds, id: ProviderId): string | undefined {
    if (!config[id].enabled) return `${adapters[id].label} is not enabled on this studio.`;
    if (!isEnabled(id)) return `${adapters[id].label} is switched off on this studio for now.`;
    return unsupportedReason(adapters[id].capabilities, op, needs);
  }

  return {
    config,
    get: (id) => adapters[id],
    isEnabled,
    async refreshSwitches() {
      await switches?.get();
    },
    forgetSwitches: () => switches?.invalidate(),
    circuitOpen: (id) => breaker.isOpen(id),
    list: () => PROVIDER_IDS.map((id) => adapters[id]),
    enabled: () =>
      order()
        .filter(isEnabled)
        .map((id) => adapters[id]),
    whyNot,
    candidates(op, needs, requested) {
      if (requested !== "auto") return whyNot(op, needs, requested) ? [] : [adapters[requested]];
      const capable = order().filter((id) => !whyNot(op, needs, id));
      const healthy = capable.filter((id) => !breaker.isOpen(id));
      const tripped = capable.filter((id) => breaker.isOpen(id));
      return [...healthy, ...tripped].map((id) => adapters[id]);
    },
    markFailed: (id) => breaker.recordFailure(id),
    markRefused: (id, ms) => breaker.trip(id, Math.max(ms ?? 0, DEFAULT_BREAKER.openMs)),
    markHealthy: (id) => breaker.recordSuccess(id),
    pauseStatusReads(id) {
      const previous = statusPauses.get(id);
      if (previous && previous.until > now()) return previous.until;
      const count = (previous?.count ?? 0) + 1;
      const ms = Math.min(STATUS_PAUSE_MAX_MS, STATUS_PAUSE_MS * 2 ** (count - 1));
      const until = now() + ms;
      statusPauses.set(id, { until, count });
      console.error(
        `OPERATOR ALERT: ${adapters[id].label} refused the studio's status reads (key or balance); ` +
          `its running jobs are kept and polling pauses ${Math.round(ms / 1000)} s. Check ${id.toUpperCase()}_API_KEY and the account.`,
      );
      return until;
    },
    statusPausedUntil(id) {
      const pause = statusPauses.get(id);
      return pause && pause.until > now() ? pause.until : 0;
    },
    resumeStatusReads: (id) => void statusPauses.delete(id),
    capabilitiesSummary: () => ({
      priority: order(),
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

/** The shared outbound limits of a configuration, on the app's database or (the CLI) in memory. */
export function outboundLimiterFor(
  config: ProvidersConfig,
  store?: Parameters<typeof createOutboundLimiter>[0]["store"],
): OutboundLimiter {
  const perMinute = Object.fromEntries(PROVIDER_IDS.map((id) => [id, config[id].requestsPerMinute]));
  return createOutboundLimiter({ perMinute, maxWaitMs: config.slotWaitMs, ...(store ? { store } : {}) });
}

// One registry per process, not per module copy: the built server loads this module once per layer
// (instrumentation, route handlers, server actions), and the switches an admin action changes, the
// circuits /admin/resellers shows and the routing of submits must all be the same ones.
const globalForRegistry = globalThis as unknown as { reveProviderRegistry?: ProviderRegistry };

/** The app's registry, built from the environment on first use. */
export function getProviderRegistry(): ProviderRegistry {
  globalForRegistry.reveProviderRegistry ??= (() => {
    const config = providerConfigFromEnv(env);
    return createProviderRegistry(config, {
      limiter: outboundLimiterFor(config),
      switches: { load: () => loadResellerSwitches(getDb()) },
    });
  })();
  return globalForRegistry.reveProviderRegistry;
}

/** After this process changed the switches: its own next submit routes by them (others within 2 s). */
export function resellerSwitchesChanged(): void {
  globalForRegistry.reveProviderRegistry?.forgetSwitches();
}
