import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { processImage } from "@/server/media/process-image";
import { storeProcessedImage } from "@/server/media/store-image";
import { createLocalStorage } from "@/server/storage/local";
import type { MediaStorage } from "@/server/storage/types";

let dataDir: string;
let storage: MediaStorage;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "reve-store-image-"));
  storage = createLocalStorage(dataDir);
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function sampleImage() {
  const input = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#884422" } })
    .webp()
    .toBuffer();
  return processImage(input, { maxBytes: 1024 * 1024, maxPixels: 1_000_000 });
}

describe("storeProcessedImage", () => {
  it("stores the original and the thumbnail and returns the Asset columns", async () => {
    const image = await sampleImage();

    const stored = await storeProcessedImage(storage, "user1", "asset1", image);

    expect(stored).toEqual({
      storageKey: "users/user1/asset1/original.webp",
      thumbKey: "users/user1/asset1/thumb.webp",
      mime: "image/webp",
      width: 800,
      height: 600,
      bytes: image.original.length,
      thumbhash: image.thumbhash,
      sha256: image.sha256,
    });
    expect((await storage.get(stored.storageKey))?.body).toEqual(image.original);
    expect((await storage.get(stored.thumbKey))?.body).toEqual(image.thumb);
  });

  it("removes the original when the thumbnail cannot be written", async () => {
    const image = await sampleImage();
    const failing: MediaStorage = {
      ...storage,
      put: (key, body, type) =>
        key.endsWith("thumb.webp") ? Promise.reject(new Error("disk full")) : storage.put(key, body, type),
    };

    await expect(storeProcessedImage(failing, "user1", "asset1", image)).rejects.toThrow("disk full");
    expect(await storage.exists("users/user1/asset1/original.webp")).toBe(false);
  });
});
