import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { assetKeys, isValidStorageKey } from "@/server/storage/keys";
import { createLocalStorage } from "@/server/storage/local";
import type { MediaStorage } from "@/server/storage/types";

let dataDir: string;
let storage: MediaStorage;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "reve-local-storage-"));
  storage = createLocalStorage(dataDir);
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("local media storage", () => {
  it("round-trips bytes under DATA_DIR/media with the content type of the extension", async () => {
    const { storageKey } = assetKeys("user_1", "asset_1", "png");
    const body = Buffer.from([1, 2, 3, 4, 5]);

    await storage.put(storageKey, body, "image/png");

    expect(storage.kind).toBe("local");
    expect(existsSync(path.join(dataDir, "media", "users", "user_1", "asset_1", "original.png"))).toBe(true);
    expect(await storage.exists(storageKey)).toBe(true);
    expect(await storage.get(storageKey)).toEqual({ body, contentType: "image/png", bytes: 5 });

    const streamed = await storage.getStream(storageKey);
    expect(streamed?.contentType).toBe("image/png");
    expect(streamed?.bytes).toBe(5);
    expect(await readAll(streamed!.stream)).toEqual(body);
  });

  it("overwrites atomically and leaves no temporary files behind", async () => {
    const key = "users/u/a/thumb.webp";
    await storage.put(key, Buffer.from("first"), "image/webp");
    await storage.put(key, Buffer.from("second"), "image/webp");

    expect((await storage.get(key))?.body.toString()).toBe("second");
    expect(await readdir(path.join(dataDir, "media", ".tmp"))).toEqual([]);
  });

  it("returns null and false for missing keys", async () => {
    expect(await storage.get("users/u/missing/original.jpg")).toBeNull();
    expect(await storage.getStream("users/u/missing/original.jpg")).toBeNull();
    expect(await storage.exists("users/u/missing/original.jpg")).toBe(false);
    // A folder is not an object.
    await storage.put("users/u/a/original.jpg", Buffer.from("x"), "image/jpeg");
    expect(await storage.exists("users/u/a")).toBe(false);
    expect(await storage.get("users/u/a")).toBeNull();
  });

  it("deletes keys, ignores missing ones and prunes emptied folders", async () => {
    const keys = assetKeys("u", "a", "jpg");
    const other = assetKeys("u", "b", "jpg");
    await storage.put(keys.storageKey, Buffer.from("o"), "image/jpeg");
    await storage.put(keys.thumbKey, Buffer.from("t"), "image/webp");
    await storage.put(other.storageKey, Buffer.from("o2"), "image/jpeg");

    await storage.delete([keys.storageKey, keys.thumbKey, "users/u/never/original.png"]);

    expect(await storage.exists(keys.storageKey)).toBe(false);
    expect(await storage.exists(keys.thumbKey)).toBe(false);
    expect(existsSync(path.join(dataDir, "media", "users", "u", "a"))).toBe(false);
    expect(await storage.exists(other.storageKey)).toBe(true);
    await storage.delete([]);
  });

  it("refuses keys that could escape the media folder", async () => {
    const bad = [
      "../secret.png",
      "users/../../etc/passwd",
      "/etc/passwd",
      "users//a.png",
      "users/./a.png",
      "users/.hidden.png",
      "users/a.png/",
      "users\\a.png",
      "users/a b.png",
      "users/%2e%2e/a.png",
      "",
    ];
    for (const key of bad) {
      expect(isValidStorageKey(key), key).toBe(false);
      await expect(storage.put(key, Buffer.from("x"), "image/png"), key).rejects.toThrow(
        "Invalid storage key",
      );
      await expect(storage.get(key), key).rejects.toThrow("Invalid storage key");
      await expect(storage.exists(key), key).rejects.toThrow("Invalid storage key");
      await expect(storage.delete([key]), key).rejects.toThrow("Invalid storage key");
    }
    expect(existsSync(path.join(dataDir, "secret.png"))).toBe(false);
  });

  it("refuses a content type that the key's extension would not serve", async () => {
    await expect(storage.put("users/u/a/original.png", Buffer.from("x"), "image/jpeg")).rejects.toThrow(
      "image/png",
    );
    await storage.put("users/u/a/original.jpg", Buffer.from("x"), "image/jpeg; charset=binary");
    expect((await storage.get("users/u/a/original.jpg"))?.contentType).toBe("image/jpeg");
  });
});

describe("assetKeys", () => {
  it("lays out an asset's files under its owner", () => {
    expect(assetKeys("cuser1", "casset1", "webp")).toEqual({
      storageKey: "users/cuser1/casset1/original.webp",
      thumbKey: "users/cuser1/casset1/thumb.webp",
    });
  });

  it("refuses ids that would change the layout", () => {
    expect(() => assetKeys("../x", "a", "png")).toThrow();
    expect(() => assetKeys("u", "a/b", "png")).toThrow();
    expect(() => assetKeys("u", "a", "gif" as "png")).toThrow();
  });
});
