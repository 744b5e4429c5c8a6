import { readdir } from "node:fs/promises";
import path from "node:path";

import { setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";

import { createTestDb, type DbKind, type TestDb } from "../../helpers/test-db";

import { sampleImage } from "../../fixtures/images";

/** A fresh database of the kind under test, installed as the app's client (`setDb`). */
export async function loadStudio(kind: DbKind): Promise<TestDb> {
  const t = await createTestDb(kind);
  setDb(t.db);
  return t;
}

/** Every file local storage holds for the user (DATA_DIR is this run's own folder). */
export async function storedFilesOf(userId: string): Promise<string[]> {
  const root = path.resolve(process.env.DATA_DIR ?? "data", "media", "users", userId);
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

interface SeedOptions {
  kind?: "create" | "edit" | "remix";
  status?: "submitting" | "queued" | "processing" | "succeeded" | "failed";
  prompt?: string;
  favorite?: boolean;
  createdAt?: Date;
  /** Input assets, in order (edits and remixes). */
  inputIds?: string[];
  outputs?: number;
}

/** A generation as the lifecycle leaves it, with real output images stored through the app's storage. */
export async function seedGeneration(db: PrismaClient, userId: string, options: SeedOptions = {}) {
  const status = options.status ?? "succeeded";
  const generation = await db.generation.create({
    data: {
      userId,
      kind: options.kind ?? "create",
      status,
      prompt: options.prompt ?? "a lighthouse at dusk",
      cost: 1,
      favorite: options.favorite ?? false,
      provider: "reveart",
      deadlineAt: new Date(Date.now() + 600_000),
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
      completedAt: status === "succeeded" || status === "failed" ? new Date() : null,
      inputs: options.inputIds
        ? { create: options.inputIds.map((assetId, position) => ({ assetId, position })) }
        : undefined,
    },
  });
  const outputs = [];
  const count = options.outputs ?? (status === "succeeded" ? 1 : 0);
  for (let i = 0; i < count; i++) {
    outputs.push(await storeAsset(db, userId, { kind: "output", generationId: generation.id }));
  }
  return { generation, outputs };
}

/** An Asset row with its original and thumbnail written to the app's storage. */
export async function storeAsset(
  db: PrismaClient,
  userId: string,
  options: { kind: "upload" | "output"; generationId?: string; color?: string },
) {
  const { processImage } = await import("@/server/media/process-image");
  const { storeProcessedImage } = await import("@/server/media/store-image");
  const { getStorage } = await import("@/server/storage");
  const image = await processImage(await sampleImage("png", 64, 48, options.color), {
    maxBytes: 10_000_000,
    maxPixels: 10_000_000,
  });
  const id = crypto.randomUUID();
  const stored = await storeProcessedImage(getStorage(), userId, id, image);
  return db.asset.create({
    data: { id, userId, kind: options.kind, generationId: options.generationId ?? null, ...stored },
  });
}
