import { randomUUID } from "node:crypto";
import { utimes } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStorage } from "@/server/storage/create-storage";
import { createLocalStorage } from "@/server/storage/local";
import { sweepOrphanedFiles, ORPHAN_MIN_AGE_MS } from "@/server/storage/sweep-orphans";
import type { MediaStorage } from "@/server/storage/types";

import { makeUser } from "../helpers/app-db";
import { startLocalBucket } from "../helpers/s3rver";
import { createTestDb, DB_KINDS, type TestDb } from "../helpers/test-db";

// The orphan sweep removes stored files that no Asset row points at once they are older than an
// hour, keeps young ones (they may be committing right now) and every referenced one, and runs in
// one process at a time under an advisory lock. File ages are set on disk (utimes), not waited for.

const PNG = Buffer.from("not really a png, the sweep never reads it");

describe.each(DB_KINDS)("orphaned file sweep on %s", (kind) => {
  let t: TestDb;
  let dataDir: string;
  let storage: MediaStorage;

  beforeAll(async () => {
    t = await createTestDb(kind);
    dataDir = `data/vitest-${process.pid}/orphans-${randomUUID().slice(0, 8)}`;
    storage = createLocalStorage(dataDir);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Stores a file whose modification time is `ageMs` ago. */
  async function storeFile(key: string, ageMs: number) {
    await storage.put(key, PNG, key.endsWith(".webp") ? "image/webp" : "image/png");
    const when = new Date(Date.now() - ageMs);
    await utimes(path.resolve(dataDir, "media", key), when, when);
  }

  async function library() {
    const user = await makeUser(t.db, 0);
    const base = `users/${user.id}`;
    const kept = { storageKey: `${base}/a${randomUUID().slice(0, 6)}/original.png`, thumbKey: "" };
    kept.thumbKey = kept.storageKey.replace("original.png", "thumb.webp");
    await t.db.asset.create({
      data: { userId: user.id, kind: "upload", mime: "image/png", width: 1, height: 1, bytes: 1, ...kept },
    });
    const old = 2 * ORPHAN_MIN_AGE_MS;
    await storeFile(kept.storageKey, old);
    await storeFile(kept.thumbKey, old);
    const orphan = `${base}/crashed/original.png`;
    const young = `${base}/committing/original.png`;
    await storeFile(orphan, old);
    await storeFile(young, 60_000);
    return { kept, orphan, young };
  }

  it("removes a file with no row older than an hour, keeps a young one and every referenced one", async () => {
    const { kept, orphan, young } = await library();

    const result = await sweepOrphanedFiles({ db: t.db, storage });

    expect(result?.removed).toEqual([orphan]);
    expect(await storage.exists(orphan)).toBe(false);
    for (const key of [kept.storageKey, kept.thumbKey, young]) expect(await storage.exists(key)).toBe(true);
    console.info(
      `orphan sweep (${kind}): checked ${result?.checked} files, removed 1 orphan, kept the young and referenced ones`,
    );
  });

  it("runs in one process at a time: a second sweep started meanwhile does none of the work", async () => {
    const { orphan } = await library();
    // The first sweep holds its lock while its listing waits at a gate the test opens.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered!: () => void;
    const listing = new Promise<void>((resolve) => (entered = resolve));
    const gated: MediaStorage = {
      ...storage,
      async *list(prefix) {
        entered();
        await gate;
        yield* storage.list(prefix);
      },
    };
    const first = sweepOrphanedFiles({ db: t.db, storage: gated });
    await listing;

    const second = sweepOrphanedFiles({ db: t.db, storage });
    if (kind === "postgres") {
      // Another connection: the lock is taken, so it returns at once without sweeping.
      expect(await second).toBeNull();
      open();
      expect((await first)?.removed).toEqual([orphan]);
    } else {
      // PGlite has one connection: the second waits for the first's transaction, then finds nothing.
      open();
      expect((await first)?.removed).toEqual([orphan]);
      expect((await second)?.removed ?? []).toEqual([]);
    }
    expect(await storage.exists(orphan)).toBe(false);
  });
});

describe("orphaned file sweep on S3 (s3rver)", () => {
  it("removes the objects no row points at and keeps the referenced ones", async () => {
    const t = await createTestDb("pglite");
    const bucket = await startLocalBucket("reve-orphans");
    try {
      const storage = createStorage({
        DATA_DIR: "data/unused-with-s3",
        ...bucket.env,
        S3_FORCE_PATH_STYLE: true,
      });
      const user = await makeUser(t.db, 0);
      const kept = {
        storageKey: `users/${user.id}/kept/original.png`,
        thumbKey: `users/${user.id}/kept/thumb.webp`,
      };
      await t.db.asset.create({
        data: { userId: user.id, kind: "output", mime: "image/png", width: 1, height: 1, bytes: 1, ...kept },
      });
      const orphans = [`users/${user.id}/crashed/original.png`, `users/${user.id}/crashed/thumb.webp`];
      for (const key of [kept.storageKey, kept.thumbKey, ...orphans]) {
        await storage.put(key, PNG, key.endsWith(".webp") ? "image/webp" : "image/png");
      }

      // S3 sets an object's time itself: the sweep's clock is moved two hours on instead.
      const later = new Date(Date.now() + 2 * ORPHAN_MIN_AGE_MS);
      const result = await sweepOrphanedFiles({ db: t.db, storage }, { now: later });

      expect(result?.removed.sort()).toEqual([...orphans].sort());
      for (const key of orphans) expect(await bucket.exists(key)).toBe(false);
      for (const key of [kept.storageKey, kept.thumbKey]) expect(await bucket.exists(key)).toBe(true);
      // With the real clock, a file stored just now is young: it stays.
      await storage.put(orphans[0]!, PNG, "image/png");
      expect((await sweepOrphanedFiles({ db: t.db, storage }))?.removed).toEqual([]);
      expect(await bucket.exists(orphans[0]!)).toBe(true);
    } finally {
      await bucket.close();
      await t.close();
    }
  });
});
