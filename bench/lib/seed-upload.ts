import { randomUUID } from "node:crypto";

import sharp from "sharp";

import type { PrismaClient } from "@/server/db/generated/client";
import { processImage } from "@/server/media/process-image";
import { storeProcessedImage } from "@/server/media/store-image";
import { createLocalStorage } from "@/server/storage/local";

/** An uploaded image of `userId`, stored the way the upload route stores one, in the studio's DATA_DIR. */
export async function seedUpload(db: PrismaClient, dataDir: string, userId: string): Promise<string> {
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#3a7bd5" } })
    .png()
    .toBuffer();
  const image = await processImage(png, { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 });
  const id = randomUUID();
  const stored = await storeProcessedImage(createLocalStorage(dataDir), userId, id, image);
  await db.asset.create({ data: { id, userId, kind: "upload", ...stored } });
  return id;
}
