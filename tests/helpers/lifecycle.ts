import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import sharp from "sharp";

import type { ProviderId } from "@/lib/domain";
import { startEmulator, type EmulatorConfig, type EmulatorHandle } from "@/emulator/server";
import type { LifecycleConfig, LifecycleDeps } from "@/server/generations/deps";
import { receiveWebhook } from "@/server/generations/webhook";
import { processImage } from "@/server/media/process-image";
import { verifyMediaSignature } from "@/server/media/signed-url";
import { storeProcessedImage } from "@/server/media/store-image";
import { parseEnv } from "@/server/env";
import { providerConfigFromEnv } from "@/server/providers/config";
import { createProviderRegistry } from "@/server/providers/registry";
import { loadResellerSwitches } from "@/server/providers/switches";
import { createLimiter } from "@/server/rate-limit";
import { createLocalStorage } from "@/server/storage";

import type { DbKind, TestDb } from "./test-db";
import { createTestDb } from "./test-db";

const SIGNING_SECRET = "lifecycle-test-signing-secret-0123456789abcdef";

/**
 * The job lifecycle wired to a fresh database, a local emulator, local storage and a small HTTP
 * server standing in for the studio's two public endpoints the resellers call: signed input media
 * and webhooks (both run the same server code the route handlers run).
 */
export interface LifecycleHarness {
  t: TestDb;
  deps: LifecycleDeps;
  emulator: EmulatorHandle;
  appUrl: string;
  /** Rebuilds the dependencies as a restarted process would: new registry, new instance id. */
  restart(overrides?: Partial<LifecycleConfig>): LifecycleDeps;
  /** Results of webhook work run by the stand-in server, for assertions. */
  webhookOutcomes: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  emulator?: Partial<EmulatorConfig>;
  config?: Partial<LifecycleConfig>;
  env?: Record<string, string>;
  /** Points single resellers somewhere else than the emulator (a server that fails, say). */
  baseUrls?: Partial<Record<ProviderId, string>>;
  submitsPerMinute?: number;
  /** The clock the registries read the operators' reseller switches by (default: the real one). */
  switchesClock?: () => number;
}

/**
 * The lifecycle settings every test harness runs with: test prices, short polls, leases and
 * fallbacks, around the addresses and secret of the harness at hand.
 */
export function testLifecycleConfig(
  site: Pick<LifecycleConfig, "appUrl" | "webhookBaseUrl" | "mediaSigningSecret" | "download">,
): LifecycleConfig {
  return {
    prices: { create: 1, edit: 2, remix: 2 },
    deadlineMs: 60_000,
    maxJobsInFlight: 50,
    submittingGraceMs: 60_000,
    leaseMs: 10_000,
    pollMinMs: 50,
    pollMaxMs: 200,
    webhookFallbackMs: 50,
    mediaUrlTtlSeconds: 600,
    ...site,
  };
}

export async function createLifecycleHarness(
  kind: DbKind,
  options: HarnessOptions = {},
): Promise<LifecycleHarness> {
  const t = await createTestDb(kind);
  const emulator = await startEmulator({ jobMs: 300, ...options.emulator });
  const storage = createLocalStorage(`data/vitest-${process.pid}/lifecycle-${randomUUID().slice(0, 8)}`);
  const webhookOutcomes: string[] = [];
  const pendingApplies = new Set<Promise<void>>();
  let deps: LifecycleDeps;

  const server = createServer((req, res) => {
    handle(req)
      .then(({ status, body, type }) => {
        res.writeHead(status, { "content-type": type });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: Buffer | string; type: string }> {
    const url = new URL(req.url ?? "/", "http://local");
    if (req.method === "GET" && url.pathname.startsWith("/api/media/signed/")) {
      const key = decodeURIComponent(url.pathname.slice("/api/media/signed/".length));
      const verdict = verifyMediaSignature(
        key,
        url.searchParams.get("exp"),
        url.searchParams.get("sig"),
        SIGNING_SECRET,
      );
      if (verdict !== "ok") return { status: 403, body: verdict, type: "text/plain" };
      const object = await deps.storage.get(key);
      return object
        ? { status: 200, body: object.body, type: object.contentType }
        : { status: 404, body: "", type: "text/plain" };
    }
    const hook = /^\/api\/webhooks\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method === "POST" && hook) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const receipt = await receiveWebhook(deps, {
          provider: hook[1]!,
          generationId: hook[2]!,
          token: url.searchParams.get("token"),
          rawBody: Buffer.concat(chunks).toString("utf8"),
          headers: new Headers(req.headers as Record<string, string>),
        });
        if (receipt.duplicate) webhookOutcomes.push("duplicate");
        else {
          // Applied after the answer, as the route does; close() waits for it before the database goes.
          const applying = receipt
            .apply()
            .then((o) => void webhookOutcomes.push(o))
            .catch((error: unknown) => void webhookOutcomes.push(`error:${String(error)}`))
            .finally(() => pendingApplies.delete(applying));
          pendingApplies.add(applying);
        }
        return { status: 200, body: "{}", type: "application/json" };
      } catch (error) {
        const status = (error as { status?: number }).status ?? 500;
        webhookOutcomes.push(`rejected:${status}`);
        return { status, body: "{}", type: "application/json" };
      }
    }
    return { status: 404, body: "", type: "text/plain" };
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const appUrl = `http://127.0.0.1:${port}`;
  // Pixazo only calls https URLs back; the emulator downgrades them to reach this server.
  emulator.configure({ webhookHttpsToHttp: true });

  const emulatorHost = new URL(emulator.url).host;
  const providersConfig = () => {
    const config = providerConfigFromEnv(
      parseEnv({
        AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
        MEDIA_SIGNING_SECRET: SIGNING_SECRET,
        REVE_EMULATOR: "on",
        EMULATOR_PORT: String(emulator.port),
        PROVIDER_TIMEOUT_MS: "3000",
        ...options.env,
      }),
    );
    for (const [id, baseUrl] of Object.entries(options.baseUrls ?? {}))
      config[id as ProviderId].baseUrl = baseUrl;
    return config;
  };
  const build = (overrides: Partial<LifecycleConfig> = {}): LifecycleDeps => ({
    db: t.db,
    registry: createProviderRegistry(providersConfig(), {
      retry: { attempts: 1 },
      switches: { load: () => loadResellerSwitches(t.db), now: options.switchesClock },
    }),
    storage,
    submitLimiter: createLimiter(
      {
        keyPrefix: `submit-${randomUUID().slice(0, 6)}`,
        points: options.submitsPerMinute ?? 1000,
        durationSeconds: 60,
      },
      t.db,
    ),
    instanceId: `test-${randomUUID().slice(0, 8)}`,
    config: {
      ...testLifecycleConfig({
        appUrl,
        webhookBaseUrl: `https://127.0.0.1:${port}`,
        mediaSigningSecret: SIGNING_SECRET,
        download: {
          allowHosts: [emulatorHost],
          maxBytes: 20 * 1024 * 1024,
          maxPixels: 50_000_000,
          timeoutMs: 5_000,
        },
      }),
      ...options.config,
      ...overrides,
    },
  });
  deps = build();

  return {
    t,
    get deps() {
      return deps;
    },
    emulator,
    appUrl,
    webhookOutcomes,
    restart(overrides) {
      deps = build(overrides);
      return deps;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      await Promise.all(pendingApplies);
      await t.close();
    },
  };
}

/** Uploads a generated image as `userId`'s asset, the way the upload route stores one. */
export async function seedUpload(
  deps: LifecycleDeps,
  userId: string,
  color = "#3a7bd5",
  width = 320,
  height = 240,
) {
  const png = await sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
  const image = await processImage(png, { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 });
  const id = randomUUID();
  const stored = await storeProcessedImage(deps.storage, userId, id, image);
  return deps.db.asset.create({ data: { id, userId, kind: "upload", ...stored } });
}

/** Drives the lifecycle until the job is terminal, the way the background poller would. */
// Returns as soon as the job ends; the long default only guards against a hang on a busy machine.
export async function waitForTerminal(deps: LifecycleDeps, generationId: string, timeoutMs = 90_000) {
  const { leaseDueJobs, pollLeasedJob } = await import("@/server/generations/poll");
  const { sweepStuckJobs } = await import("@/server/generations/sweep");
  const deadline = Date.now() + timeoutMs;
  const owner = `${deps.instanceId}:test-poller`;
  while (Date.now() < deadline) {
    const job = await deps.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    if (job.status === "succeeded" || job.status === "failed") return job;
    await sweepStuckJobs(deps);
    for (const due of await leaseDueJobs(deps, owner, 10)) await pollLeasedJob(deps, due, owner);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Job ${generationId} did not finish within ${timeoutMs} ms`);
}
