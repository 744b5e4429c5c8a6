import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStorage } from "@/server/storage/create-storage";
import { assetKeys } from "@/server/storage/keys";
import type { MediaStorage } from "@/server/storage/types";

import { startLocalBucket, type LocalBucket } from "../helpers/s3rver";

let bucket: LocalBucket;
let storage: MediaStorage;

beforeAll(async () => {
  bucket = await startLocalBucket("reve-media-test");
  storage = createStorage({
    DATA_DIR: "data/unused-with-s3",
    ...bucket.env,
    S3_FORCE_PATH_STYLE: true,
  });
});

afterAll(async () => {
  await bucket?.close();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("S3 media storage", () => {
  it("puts, reads, streams and deletes objects with their content type", async () => {
    expect(storage.kind).toBe("s3");
    const { storageKey, thumbKey } = assetKeys("user1", "asset1", "jpg");
    const original = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const thumb = Buffer.from("thumb-bytes");

    await storage.put(storageKey, original, "image/jpeg");
    await storage.put(thumbKey, thumb, "image/webp");

    expect(await storage.exists(storageKey)).toBe(true);
    expect(await storage.get(storageKey)).toEqual({
      body: original,
      contentType: "image/jpeg",
      bytes: 70_000,
    });
    const streamed = await storage.getStream(thumbKey);
    expect(streamed).toMatchObject({ contentType: "image/webp", bytes: thumb.length });
    expect(await readAll(streamed!.stream)).toEqual(thumb);

    await storage.delete([storageKey, thumbKey, "users/user1/never/original.png"]);

    expect(await storage.exists(storageKey)).toBe(false);
    expect(await storage.exists(thumbKey)).toBe(false);
    expect(await storage.get(storageKey)).toBeNull();
    expect(await storage.getStream(thumbKey)).toBeNull();
  });

  it("overwrites an existing key", async () => {
    await storage.put("users/u/a/original.png", Buffer.from("one"), "image/png");
    await storage.put("users/u/a/original.png", Buffer.from("two"), "image/png");
    expect((await storage.get("users/u/a/original.png"))?.body.toString()).toBe("two");
  });

  it("lists a folder page by page with each object's time, and deletes the whole folder, nothing beside it", async () => {
    // More than one page (S3 lists at most 1,000 keys per call), so the continuation is exercised.
    const keys = Array.from({ length: 510 }, (_, i) => assetKeys("lister", `asset${i}`, "png")).flatMap(
      (k) => [k.storageKey, k.thumbKey],
    );
    const neighbour = assetKeys("lister2", "asset1", "png").storageKey;
    const before = Date.now() - 60_000;
    const all = [...keys, neighbour];
    for (let i = 0; i < all.length; i += 20) {
      await Promise.all(
        all
          .slice(i, i + 20)
          .map((key) =>
            storage.put(key, Buffer.from(key), key.endsWith(".webp") ? "image/webp" : "image/png"),
          ),
      );
    }

    const listed = [];
    let pages = 0;
    for await (const page of storage.list("users/lister/")) {
      listed.push(...page);
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(listed.map((o) => o.key).sort()).toEqual([...keys].sort());
    for (const o of listed) expect(o.lastModified.getTime()).toBeGreaterThan(before);

    await storage.deletePrefix("users/lister/");
    const left = [];
    for await (const page of storage.list("users/lister/")) left.push(...page);
    expect(left).toEqual([]);
    expect(await storage.exists(neighbour)).toBe(true);
    await expect(storage.deletePrefix("users/../")).rejects.toThrow(/Invalid storage prefix/);
  });

  it("refuses keys outside the layout before calling S3", async () => {
    await expect(storage.put("../escape.png", Buffer.from("x"), "image/png")).rejects.toThrow(
      "Invalid storage key",
    );
    await expect(storage.delete(["users/../x"])).rejects.toThrow("Invalid storage key");
  });
});
