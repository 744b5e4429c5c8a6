import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import type { ProviderId } from "@/lib/domain";
import type { PrismaClient } from "@/server/db/generated/client";
import { parseEnv } from "@/server/env";
import { type LifecycleConfig, type LifecycleDeps, setLifecycleDeps } from "@/server/generations/deps";
import { hashToken } from "@/server/generations/webhook-token";
import { processImage } from "@/server/media/process-image";
import { storeProcessedImage } from "@/server/media/store-image";
import { providerConfigFromEnv } from "@/server/providers/config";
import { createProviderRegistry, type RegistryDeps } from "@/server/providers/registry";
import { createLimiter } from "@/server/rate-limit";
import { getStorage } from "@/server/storage";

import { samplePng } from "../../fixtures/images";
import { testLifecycleConfig } from "../../helpers/lifecycle";

export const SIGNING_SECRET = "test-media-secret-0123456789abcdef012345";

/**
 * The lifecycle as the app's actions and route handlers get it from `getLifecycleDeps()`: the test
 * database, the app's own storage (this run's DATA_DIR), and a registry whose adapters the test
 * chooses. Installed on globalThis, where getLifecycleDeps looks first.
 */
export function installLifecycle(
  db: PrismaClient,
  options: {
    registry?: RegistryDeps;
    env?: Record<string, string>;
    config?: Partial<LifecycleConfig>;
  } = {},
): LifecycleDeps {
  const providersConfig = providerConfigFromEnv(
    parseEnv({
      AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
      MEDIA_SIGNING_SECRET: SIGNING_SECRET,
      REVE_EMULATOR: "on",
      EMULATOR_PORT: "9",
      PROVIDER_TIMEOUT_MS: "2000",
      ...options.env,
    }),
  );
  const deps: LifecycleDeps = {
    db,
    registry: createProviderRegistry(providersConfig, { retry: { attempts: 1 }, ...options.registry }),
    storage: getStorage(),
    submitLimiter: createLimiter(
      { keyPrefix: `submit-${randomUUID().slice(0, 6)}`, points: 1000, durationSeconds: 60 },
      db,
    ),
    instanceId: `test-${randomUUID().slice(0, 8)}`,
    config: {
      ...testLifecycleConfig({
        appUrl: "http://127.0.0.1:9",
        webhookBaseUrl: "https://studio.test",
        mediaSigningSecret: SIGNING_SECRET,
        download: { allowHosts: [], maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000, timeoutMs: 3_000 },
      }),
      ...options.config,
    },
  };
  setLifecycleDeps(deps);
  return deps;
}

/** An Asset row with its original and thumbnail written to the app's storage. */
export async function storeAsset(
  db: PrismaClient,
  userId: string,
  options: { kind: "upload" | "output"; generationId?: string; color?: string } = { kind: "upload" },
) {
  const image = await processImage(await samplePng(96, 64, options.color), {
    maxBytes: 10_000_000,
    maxPixels: 10_000_000,
  });
  const id = randomUUID();
  const stored = await storeProcessedImage(getStorage(), userId, id, image);
  return db.asset.create({
    data: { id, userId, kind: options.kind, generationId: options.generationId ?? null, ...stored },
  });
}

/** A finished generation with one stored output, as the lifecycle leaves it. */
export async function seedFinishedGeneration(db: PrismaClient, userId: string, prompt: string) {
  const generation = await db.generation.create({
    data: {
      userId,
      kind: "create",
      status: "succeeded",
      prompt,
      cost: 1,
      provider: "reveart",
      providerJobId: `done-${randomUUID().slice(0, 8)}`,
      deadlineAt: new Date(Date.now() + 600_000),
      completedAt: new Date(),
    },
  });
  const output = await storeAsset(db, userId, { kind: "output", generationId: generation.id });
  return { generation, output };
}

/** A job a provider is working on, due for a poll, with the webhook token its callback URL carries. */
export async function seedRunningGeneration(
  db: PrismaClient,
  userId: string,
  options: { prompt: string; provider?: ProviderId; providerJobId?: string },
) {
  const token = randomUUID();
  const generation = await db.generation.create({
    data: {
      userId,
      kind: "create",
      status: "processing",
      prompt: options.prompt,
      cost: 1,
      provider: options.provider ?? "apiframe",
      providerJobId: options.providerJobId ?? `run-${randomUUID().slice(0, 8)}`,
      webhookTokenHash: hashToken(token),
      deadlineAt: new Date(Date.now() + 600_000),
      submittedAt: new Date(),
      nextPollAt: new Date(Date.now() - 1000),
    },
  });
  return { generation, token };
}

/** Every file local storage holds for the user, with a hash of its bytes. */
export async function storedFilesOf(userId: string): Promise<Record<string, string>> {
  const root = path.resolve(process.env.DATA_DIR ?? "data", "media", "users", userId);
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(root, file)] = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  }
  return files;
}

/** Everything of a user's that an attack could change, as one comparable string. */
export async function snapshotUser(db: PrismaClient, userId: string): Promise<string> {
  const generations = await db.generation.findMany({
    where: { userId },
    orderBy: { id: "asc" },
    include: { inputs: true },
  });
  const [user, assets, ledger, events, files, purchases, redemptions, collections, shares, presets] =
    await Promise.all([
      db.user.findUnique({ where: { id: userId } }),
      db.asset.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.creditLedgerEntry.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.webhookEvent.findMany({
        where: { generationId: { in: generations.map((g) => g.id) } },
        orderBy: { id: "asc" },
      }),
      storedFilesOf(userId),
      db.creditPurchase.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.voucherRedemption.findMany({ where: { userId }, orderBy: { voucherId: "asc" } }),
      db.collection.findMany({
        where: { userId },
        orderBy: { id: "asc" },
        include: { items: { orderBy: { generationId: "asc" } } },
      }),
      db.shareLink.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.promptPreset.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    ]);
  return JSON.stringify({
    user,
    generations,
    assets,
    ledger,
    events,
    files,
    purchases,
    redemptions,
    collections,
    shares,
    presets,
  });
}

/** What a user's money and stored things amount to, for "nothing charged, nothing stored". */
export async function footprint(db: PrismaClient, userId: string) {
  const [user, ledger, generations, assets, files] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { credits: true } }),
    db.creditLedgerEntry.count({ where: { userId } }),
    db.generation.count({ where: { userId } }),
    db.asset.count({ where: { userId } }),
    storedFilesOf(userId),
  ]);
  return { credits: user.credits, ledger, generations, assets, files: Object.keys(files).length };
}
