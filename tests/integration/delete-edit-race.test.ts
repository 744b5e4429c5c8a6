import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { setDb } from "@/server/db/client";
import { deleteGenerationForUser } from "@/server/generations/delete-generation";
import { submitGeneration } from "@/server/generations/submit";
import { getStorage } from "@/server/storage";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, type LifecycleHarness } from "../helpers/lifecycle";
import { seedGeneration } from "./support/studio";

// Deleting a generation while an edit of its output is being submitted: the job that has taken the
// image keeps it. The two transactions are interleaved with locks, not with timing: a third
// connection holds the user's row, which the submit's transaction needs right after it has taken
// its input image, so the submit stays open at exactly that point while the delete starts.

const WAIT_MS = 30_000;

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "deleting a generation while its output is being edited (PostgreSQL)",
  () => {
    let h: LifecycleHarness;
    let blocker: pg.Client;
    // Watches pg_stat_activity from outside any transaction (inside one it is a frozen snapshot).
    let observer: pg.Client;

    beforeAll(async () => {
      h = await createLifecycleHarness("postgres");
      setDb(h.t.db);
      blocker = new pg.Client({ connectionString: h.t.url });
      await blocker.connect();
      observer = new pg.Client({ connectionString: h.t.url });
      await observer.connect();
    });
    afterAll(async () => {
      await blocker?.end();
      await observer?.end();
      await h?.close();
    });

    /** Resolves once a backend of this database waits on a lock in a statement matching `pattern`. */
    async function lockWaitOn(pattern: string): Promise<void> {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const { rows } = await observer.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
          [pattern],
        );
        if (rows[0]!.n > 0) return;
        if (Date.now() > deadline) throw new Error(`no statement like ${pattern} waited on a lock`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it("makes the delete wait for the submit that took the image, then keeps the image for the new job", async () => {
      const user = await makeUser(h.t.db);
      const { generation, outputs } = await seedGeneration(h.t.db, user.id, { kind: "create" });
      const image = outputs[0]!;

      // The submit will stop right after locking its input image: the user's row is taken.
      await blocker.query("BEGIN");
      await blocker.query(`SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE`, [user.id]);
      const submit = submitGeneration(h.deps, {
        userId: user.id,
        kind: "edit",
        prompt: "make it night",
        provider: "auto",
        assetIds: [image.id],
      });
      await lockWaitOn('%FROM "User"%FOR UPDATE%');

      // The delete starts now. It must wait for the submit, not decide on a stale answer.
      const deleting = deleteGenerationForUser(user.id, generation.id, { storage: getStorage() });
      const first = await Promise.race([
        deleting.then(() => "delete finished"),
        lockWaitOn('%"Asset"%FOR UPDATE%').then(() => "delete waits"),
      ]);
      expect(first).toBe("delete waits");

      await blocker.query("COMMIT");
      const { generationId } = await submit;
      await deleting;

      // The edit's input survived: the row, its files, and the job's link to it.
      const kept = await h.t.db.asset.findUniqueOrThrow({ where: { id: image.id } });
      expect(kept).toMatchObject({ kind: "upload", generationId: null });
      expect(await getStorage().exists(image.storageKey)).toBe(true);
      expect(await h.t.db.generationInput.findMany({ where: { generationId } })).toEqual([
        { generationId, assetId: image.id, position: 0 },
      ]);
      expect(
        (await h.t.db.generation.findUniqueOrThrow({ where: { id: generation.id } })).deletedAt,
      ).not.toBeNull();
      console.info(
        "delete vs edit: the delete waited for the submit's lock, then kept the image as an upload",
      );
    });
  },
);
