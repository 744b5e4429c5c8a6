import "server-only";

import { bulkTargetSchema, type ParsedBulkTarget } from "@/lib/bulk";
import { invalidInput } from "@/server/action";
import { exportPathOf } from "@/server/account/export-account";
import { readChunks, type ZipEntry, zipStream } from "@/server/account/zip-stream";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { downloadBytes, downloadSettings } from "@/server/media/download-settings";
import { formatWait, limiterFor } from "@/server/rate-limit";
import { getStorage, type MediaStorage } from "@/server/storage";

import { batches, resolveTargets } from "./bulk-targets";

const BATCH = 100;
// fflate writes no ZIP64 records: the archive must stay under 4 GiB.
const MAX_ZIP_BYTES = 3.5 * 1024 ** 3;

/** Each download reads every selected image; a person needs a few a minute at most. */
export async function checkSelectionZipRate(userId: string): Promise<void> {
  await limiterFor({ keyPrefix: "selection-zip", points: 10, durationSeconds: 60 }).consume(
    userId,
    (seconds) => `Too many downloads at once. Try again in ${formatWait(seconds)}.`,
  );
}

export const selectionZipName = (now: Date = new Date()) =>
  `reve-studio-images-${now.toISOString().slice(0, 10)}.zip`;

/**
 * The originals of the selected generations (or all a filter matches) as a ZIP streamed while it is
 * built, the way the account export streams. Ids that are not the user's add nothing.
 */
export async function selectionZip(
  userId: string,
  target: ParsedBulkTarget,
  options: { storage?: MediaStorage } = {},
): Promise<ReadableStream<Uint8Array>> {
  const storage = options.storage ?? getStorage();
  const { ids } = await resolveTargets(userId, target);
  if (ids.length === 0) throw new AppError("not_found", "None of the selected images exists any more.");
  const totals = await getDb().asset.aggregate({
    where: { userId, generationId: { in: ids } },
    _sum: { bytes: true },
  });
  if ((totals._sum.bytes ?? 0) > MAX_ZIP_BYTES) {
    throw new AppError(
      "payload_too_large",
      "The selection is too large for one file (over 3.5 GB). Select fewer images and try again.",
    );
  }
  return zipStream(entries(storage, userId, ids));
}

async function* entries(storage: MediaStorage, userId: string, ids: string[]): AsyncGenerator<ZipEntry> {
  for (const batch of batches(ids, BATCH)) {
    const assets = await getDb().asset.findMany({
      where: { userId, generationId: { in: batch } },
      orderBy: { id: "asc" },
      select: { id: true, generationId: true, storageKey: true, mime: true, createdAt: true },
    });
    const settings = await downloadSettings(userId, batch);
    for (const asset of assets) {
      const stored = await storage.getStream(asset.storageKey);
      if (!stored) continue; // deleted meanwhile
      const carried = asset.generationId ? settings.get(asset.generationId) : undefined;
      yield {
        name: exportPathOf(asset),
        mtime: asset.createdAt,
        compress: false,
        // One image at a time is held whole, to write its settings inside it.
        chunks: carried
          ? single(downloadBytes(stored.stream, asset.mime, carried))
          : readChunks(stored.stream),
      };
    }
  }
}

async function* single(bytes: Promise<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield await bytes;
}

/**
 * The selection a download form posts: `target`, the same JSON the bulk actions take. A plain form
 * post, so the browser saves the streamed answer as a file.
 */
export function parseSelectionBody(body: string): ParsedBulkTarget {
  let json: unknown;
  try {
    json = JSON.parse(new URLSearchParams(body).get("target") ?? "");
  } catch {
    throw new AppError("invalid_input", "Say which images to download.");
  }
  const parsed = bulkTargetSchema.safeParse(json);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}
