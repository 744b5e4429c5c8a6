import "server-only";

import { randomUUID } from "node:crypto";

import type { AssetDto } from "@/lib/dto";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { toAssetDto } from "@/server/generations/dto";
import { processImage } from "@/server/media/process-image";
import { storeProcessedImage } from "@/server/media/store-image";
import { getStorage, type MediaStorage } from "@/server/storage";

export interface UploadOptions {
  storage?: MediaStorage;
  maxBytes?: number;
  maxPixels?: number;
}

/** The refusal for a file over the limit, in whole megabytes as the upload form states it. */
export function uploadTooLarge(maxBytes: number): AppError {
  const mb = Number((maxBytes / (1024 * 1024)).toFixed(1));
  return new AppError("payload_too_large", `The file is too large: images can be at most ${mb} MB.`);
}

/**
 * Turns untrusted bytes into an upload Asset the user can edit or remix: validated and cleaned by
 * processImage, stored with its thumbnail, then recorded. A failed insert removes the stored files.
 */
export async function createUpload(
  userId: string,
  bytes: Buffer,
  options: UploadOptions = {},
): Promise<AssetDto> {
  const client = getDb();
  const storage = options.storage ?? getStorage();
  const maxBytes = options.maxBytes ?? env.UPLOAD_MAX_BYTES;
  if (bytes.length > maxBytes) throw uploadTooLarge(maxBytes);

  const image = await processImage(bytes, {
    maxBytes,
    maxPixels: options.maxPixels ?? env.UPLOAD_MAX_PIXELS,
  });
  const assetId = randomUUID();
  const stored = await storeProcessedImage(storage, userId, assetId, image);
  try {
    const asset = await client.asset.create({ data: { id: assetId, userId, kind: "upload", ...stored } });
    return toAssetDto(asset);
  } catch (error) {
    await storage.delete([stored.storageKey, stored.thumbKey]).catch(() => undefined);
    throw error;
  }
}
