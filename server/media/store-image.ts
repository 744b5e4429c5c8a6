import "server-only";

import { assetKeys } from "@/server/storage/keys";
import type { MediaStorage } from "@/server/storage/types";

import type { ProcessedImage } from "./process-image";

/** The Asset columns that describe the stored files. */
export interface StoredImage {
  storageKey: string;
  thumbKey: string;
  mime: ProcessedImage["mime"];
  width: number;
  height: number;
  bytes: number;
  thumbhash: string;
  sha256: string;
}

/**
 * Writes a processed image and its thumbnail under the asset's keys. Call it before creating the
 * Asset row (outside any transaction); if the row is never created, delete `[storageKey, thumbKey]`.
 */
export async function storeProcessedImage(
  storage: MediaStorage,
  userId: string,
  assetId: string,
  image: ProcessedImage,
): Promise<StoredImage> {
  const { storageKey, thumbKey } = assetKeys(userId, assetId, image.ext);
  await storage.put(storageKey, image.original, image.mime);
  try {
    await storage.put(thumbKey, image.thumb, "image/webp");
  } catch (error) {
    await storage.delete([storageKey]).catch(() => undefined);
    throw error;
  }
  return {
    storageKey,
    thumbKey,
    mime: image.mime,
    width: image.width,
    height: image.height,
    bytes: image.bytes,
    thumbhash: image.thumbhash,
    sha256: image.sha256,
  };
}
