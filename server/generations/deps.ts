import "server-only";

import { randomUUID } from "node:crypto";

import type { Operation } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { env, usesEmulator } from "@/server/env";
import { getProviderRegistry, type ProviderRegistry } from "@/server/providers/registry";
import { createLimiter, type Limiter } from "@/server/rate-limit";
import { getStorage, type MediaStorage } from "@/server/storage";

/** Everything the job lifecycle touches, passed explicitly so tests can build their own. */
export interface LifecycleDeps {
  db: PrismaClient;
  registry: ProviderRegistry;
  storage: MediaStorage;
  submitLimiter: Limiter;
  /** Identifies this process in leases, so two instances never poll one job at once. */
  instanceId: string;
  config: LifecycleConfig;
}

export interface LifecycleConfig {
  appUrl: string;
  /** Base of callback URLs; undefined when webhooks are off. */
  webhookBaseUrl?: string;
  prices: Record<Operation, number>;
  deadlineMs: number;
  maxJobsInFlight: number;
  /** A job still `submitting` this long after its last change was lost mid-submit. */
  submittingGraceMs: number;
  /** How long a lease on a job lasts unless its holder renews it (it does while it works). */
  leaseMs: number;
  /** First poll after a submit; later polls back off from pollMinMs to pollMaxMs. */
  pollMinMs: number;
  pollMaxMs: number;
  /** First poll when a webhook is expected: polling is then only the fallback. */
  webhookFallbackMs: number;
  mediaSigningSecret: string;
  mediaUrlTtlSeconds: number;
  download: { allowHosts: string[]; maxBytes: number; maxPixels: number; timeoutMs: number };
}

export function lifecycleConfigFromEnv(): LifecycleConfig {
  const allowHosts = [...env.MEDIA_FETCH_ALLOW_HOSTS];
  // The emulator serves results from loopback over http; only its exact host:port is let through.
  if (usesEmulator(env)) allowHosts.push(`127.0.0.1:${env.EMULATOR_PORT}`);
  return {
    appUrl: env.APP_URL,
    webhookBaseUrl: env.WEBHOOKS_ENABLED ? (env.WEBHOOK_BASE_URL ?? env.APP_URL) : undefined,
    prices: { create: env.PRICE_CREATE, edit: env.PRICE_EDIT, remix: env.PRICE_REMIX },
    deadlineMs: env.JOB_DEADLINE_SECONDS * 1000,
    maxJobsInFlight: env.MAX_JOBS_IN_FLIGHT,
    submittingGraceMs: env.PROVIDER_TIMEOUT_MS * 2 + 30_000,
    // Short, and renewed by the holder while it works: a dead process's jobs are free within 5 s.
    leaseMs: 5_000,
    pollMinMs: 2_000,
    pollMaxMs: 30_000,
    webhookFallbackMs: 30_000,
    mediaSigningSecret: env.MEDIA_SIGNING_SECRET,
    mediaUrlTtlSeconds: env.MEDIA_URL_TTL_SECONDS,
    download: {
      allowHosts,
      maxBytes: env.OUTPUT_MAX_BYTES,
      maxPixels: env.UPLOAD_MAX_PIXELS,
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
    },
  };
}

const globalForDeps = globalThis as unknown as { reveLifecycleDeps?: LifecycleDeps };

/** Installs the dependencies `getLifecycleDeps()` returns from now on (tests); `undefined` rebuilds them. */
export function setLifecycleDeps(deps: LifecycleDeps | undefined): void {
  globalForDeps.reveLifecycleDeps = deps;
}

/** The process's lifecycle dependencies, built from env once. */
export function getLifecycleDeps(): LifecycleDeps {
  return (globalForDeps.reveLifecycleDeps ??= {
    // Read at each use, so that `setDb` reaches the lifecycle too.
    get db() {
      return getDb();
    },
    registry: getProviderRegistry(),
    storage: getStorage(),
    submitLimiter: createLimiter({
      keyPrefix: "submit",
      points: env.RATE_LIMIT_SUBMITS_PER_MINUTE,
      durationSeconds: 60,
    }),
    instanceId: `${process.pid}-${randomUUID().slice(0, 8)}`,
    config: lifecycleConfigFromEnv(),
  });
}
