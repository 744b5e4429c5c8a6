import "server-only";

import { sharePath } from "@/lib/shares";
import { getDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { formatWait, limiterFor } from "@/server/rate-limit";
import { getStorage, type MediaStorage } from "@/server/storage";

import { readChunks, type ZipEntry, zipStream } from "./zip-stream";

export interface ExportOptions {
  storage?: MediaStorage;
}

const PAGE = 200;
// fflate writes no ZIP64 records: past 4 GiB or 65,535 entries the archive would be unreadable.
const MAX_EXPORT_BYTES = 3.5 * 1024 ** 3;
const MAX_EXPORT_FILES = 60_000;

interface AssetRef {
  id: string;
  generationId: string | null;
  storageKey: string;
}

/** The path of an asset's original inside the archive. */
export function exportPathOf(asset: AssetRef): string {
  const ext = asset.storageKey.slice(asset.storageKey.lastIndexOf(".") + 1);
  return `images/${asset.generationId ?? "uploads"}/${asset.id}.${ext}`;
}

export function exportFileName(now: Date = new Date()): string {
  return `reve-studio-export-${now.toISOString().slice(0, 10)}.zip`;
}

/** Exports read every image the user has; a few per ten minutes is plenty for a person. */
export async function checkExportRate(userId: string): Promise<void> {
  await limiterFor({ keyPrefix: "export", points: 5, durationSeconds: 600 }).consume(
    userId,
    (seconds) => `You just exported your library. Try again in ${formatWait(seconds)}.`,
  );
}

/**
 * Everything the user owns as a ZIP: generations.json, ledger.json, collections.json, shares.json
 * (share links), presets.json (prompt presets) and the original of every image,
 * read from the database and storage page by page while the archive streams out.
 */
export async function exportAccountZip(
  userId: string,
  options: ExportOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const client = getDb();
  const storage = options.storage ?? getStorage();
  const totals = await client.asset.aggregate({
    where: { userId },
    _sum: { bytes: true },
    _count: { _all: true },
  });
  if ((totals._sum.bytes ?? 0) > MAX_EXPORT_BYTES || totals._count._all > MAX_EXPORT_FILES) {
    throw new AppError(
      "payload_too_large",
      "Your library is too large to export as one file (over 3.5 GB). Delete some images and try again.",
    );
  }
  return zipStream(entries(client, storage, userId));
}

async function* entries(
  client: PrismaClient,
  storage: MediaStorage,
  userId: string,
): AsyncGenerator<ZipEntry> {
  const now = new Date();
  yield {
    name: "generations.json",
    mtime: now,
    compress: true,
    chunks: jsonArray(generationPages(client, userId)),
  };
  yield { name: "ledger.json", mtime: now, compress: true, chunks: jsonArray(ledgerPages(client, userId)) };
  yield {
    name: "collections.json",
    mtime: now,
    compress: true,
    chunks: jsonArray(collectionPages(client, userId)),
  };
  yield { name: "shares.json", mtime: now, compress: true, chunks: jsonArray(sharePages(client, userId)) };
  yield { name: "presets.json", mtime: now, compress: true, chunks: jsonArray(presetPages(client, userId)) };

  for await (const asset of assetPages(client, userId)) {
    const stored = await storage.getStream(asset.storageKey);
    if (!stored) {
      console.warn("Export skipped an image whose file is missing");
      continue;
    }
    yield {
      name: exportPathOf(asset),
      mtime: asset.createdAt,
      compress: false,
      chunks: readChunks(stored.stream),
    };
  }
}

// Keyset paging by id: unlike a Prisma cursor, it still works when the last row read is deleted meanwhile.
const after = (cursor: string | undefined) => (cursor ? { id: { gt: cursor } } : {});

/** A JSON array written one page at a time, two-space indented like JSON.stringify(value, null, 2). */
async function* jsonArray(pages: AsyncIterable<unknown[]>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let first = true;
  yield encoder.encode("[");
  for await (const page of pages) {
    for (const item of page) {
      const text = JSON.stringify(item, null, 2).replace(/\n/g, "\n  ");
      yield encoder.encode(`${first ? "" : ","}\n  ${text}`);
      first = false;
    }
  }
  yield encoder.encode(first ? "]\n" : "\n]\n");
}

async function* generationPages(client: PrismaClient, userId: string): AsyncGenerator<unknown[]> {
  const assetRef = { id: true, generationId: true, storageKey: true } as const;
  let cursor: string | undefined;
  for (;;) {
    const rows = await client.generation.findMany({
      where: { userId, deletedAt: null, ...after(cursor) },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true,
        kind: true,
        status: true,
        prompt: true,
        negativePrompt: true,
        aspectRatio: true,
        seed: true,
        requestedProvider: true,
        provider: true,
        cost: true,
        errorCode: true,
        errorMessage: true,
        createdAt: true,
        completedAt: true,
        parentId: true,
        favorite: true,
        inputs: { orderBy: { position: "asc" }, select: { asset: { select: assetRef } } },
        outputs: { orderBy: { createdAt: "asc" }, select: assetRef },
        ledger: { where: { reason: "refund" }, select: { id: true } },
      },
    });
    if (rows.length === 0) return;
    yield rows.map(({ inputs, outputs, ledger, ...row }) => ({
      ...row,
      charged: ledger.length === 0,
      inputs: inputs.map(({ asset }) => ({ assetId: asset.id, file: exportPathOf(asset) })),
      outputs: outputs.map((asset) => ({ assetId: asset.id, file: exportPathOf(asset) })),
    }));
    cursor = rows[rows.length - 1]?.id;
  }
}

async function* ledgerPages(client: PrismaClient, userId: string): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await client.creditLedgerEntry.findMany({
      where: { userId, ...after(cursor) },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true,
        amount: true,
        balanceAfter: true,
        reason: true,
        generationId: true,
        note: true,
        createdAt: true,
      },
    });
    if (rows.length === 0) return;
    yield rows;
    cursor = rows[rows.length - 1]?.id;
  }
}

/** Each collection with the ids of the live generations in it (as in generations.json). */
async function* collectionPages(client: PrismaClient, userId: string): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await client.collection.findMany({
      where: { userId, ...after(cursor) },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true,
        name: true,
        createdAt: true,
        items: {
          where: { generation: { deletedAt: null } },
          orderBy: { addedAt: "asc" },
          select: { generationId: true },
        },
      },
    });
    if (rows.length === 0) return;
    yield rows.map(({ items, ...row }) => ({ ...row, generationIds: items.map((i) => i.generationId) }));
    cursor = rows[rows.length - 1]?.id;
  }
}

/** Each share link with its public address. */
async function* sharePages(client: PrismaClient, userId: string): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await client.shareLink.findMany({
      where: { userId, ...after(cursor) },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true,
        generationId: true,
        collectionId: true,
        showPrompt: true,
        allowIndexing: true,
        expiresAt: true,
        createdAt: true,
      },
    });
    if (rows.length === 0) return;
    yield rows.map((row) => ({ ...row, url: new URL(sharePath(row.id), env.APP_URL).href }));
    cursor = rows[rows.length - 1]?.id;
  }
}

async function* presetPages(client: PrismaClient, userId: string): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await client.promptPreset.findMany({
      where: { userId, ...after(cursor) },
      orderBy: { id: "asc" },
      take: PAGE,
      select: { id: true, name: true, settings: true, createdAt: true, updatedAt: true },
    });
    if (rows.length === 0) return;
    yield rows;
    cursor = rows[rows.length - 1]?.id;
  }
}

async function* assetPages(client: PrismaClient, userId: string) {
  let cursor: string | undefined;
  for (;;) {
    const rows = await client.asset.findMany({
      where: { userId, ...after(cursor), OR: [{ generationId: null }, { generation: { deletedAt: null } }] },
      orderBy: { id: "asc" },
      take: PAGE,
      select: { id: true, generationId: true, storageKey: true, createdAt: true },
    });
    if (rows.length === 0) return;
    yield* rows;
    cursor = rows[rows.length - 1]?.id;
  }
}
