import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as DeleteActionModule from "@/server/actions/delete-generation";
import type * as FavoriteActionModule from "@/server/actions/set-favorite";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration, storeAsset, storedFilesOf } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

const filesOf = (asset: { storageKey: string; thumbKey: string | null }) => [
  asset.storageKey,
  asset.thumbKey!,
];

describe.each(DB_KINDS)("generation actions on %s", (kind) => {
  let t: TestDb;
  let del: typeof DeleteActionModule;
  let fav: typeof FavoriteActionModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    del = await import("@/server/actions/delete-generation");
    fav = await import("@/server/actions/set-favorite");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  async function exists(key: string) {
    const { getStorage } = await import("@/server/storage");
    return getStorage().exists(key);
  }

  /** A finished generation whose credits were really held, so the ledger has a row pointing at it. */
  async function chargedGeneration(userId: string, inputIds: string[] = []) {
    const { holdForGeneration } = await import("@/server/credits/ledger");
    const seeded = await seedGeneration(t.db, userId, { kind: "edit", inputIds, outputs: 2 });
    await t.db.$transaction((tx) =>
      holdForGeneration(tx, { userId, generationId: seeded.generation.id, amount: 2 }),
    );
    return seeded;
  }

  describe("deleteGeneration", () => {
    it("soft-deletes the generation and removes its outputs, its only-used upload and their files", async () => {
      const user = await makeUser(t.db);
      signInAs(user);
      const upload = await storeAsset(t.db, user.id, { kind: "upload" });
      const { generation, outputs } = await chargedGeneration(user.id, [upload.id]);
      const keys = [...outputs.flatMap(filesOf), ...filesOf(upload)];
      for (const key of keys) expect(await exists(key)).toBe(true);

      expect(await del.deleteGeneration(generation.id)).toEqual({ ok: true, data: null });

      const row = await t.db.generation.findUniqueOrThrow({ where: { id: generation.id } });
      expect(row.deletedAt).toBeInstanceOf(Date);
      expect(await t.db.asset.count({ where: { userId: user.id } })).toBe(0);
      for (const key of keys) expect(await exists(key)).toBe(false);
      expect(await storedFilesOf(user.id)).toEqual([]);
      // History stays: the hold still points at the generation, and the balance is untouched.
      expect(
        await t.db.creditLedgerEntry.count({ where: { generationId: generation.id, reason: "hold" } }),
      ).toBe(1);
      expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).credits).toBe(48);
      const { getGeneration } = await import("@/server/generations/queries");
      expect(await getGeneration(user.id, generation.id)).toBeNull();
    });

    it("keeps an upload another live generation still uses", async () => {
      const user = await makeUser(t.db);
      signInAs(user);
      const upload = await storeAsset(t.db, user.id, { kind: "upload" });
      const first = await seedGeneration(t.db, user.id, { kind: "edit", inputIds: [upload.id] });
      const second = await seedGeneration(t.db, user.id, { kind: "edit", inputIds: [upload.id] });

      expect((await del.deleteGeneration(first.generation.id)).ok).toBe(true);
      expect(await t.db.asset.findUnique({ where: { id: upload.id } })).not.toBeNull();
      for (const key of filesOf(upload)) expect(await exists(key)).toBe(true);
      for (const key of first.outputs.flatMap(filesOf)) expect(await exists(key)).toBe(false);

      // Once the last user of the upload goes, so does the upload.
      expect((await del.deleteGeneration(second.generation.id)).ok).toBe(true);
      expect(await t.db.asset.findUnique({ where: { id: upload.id } })).toBeNull();
      for (const key of filesOf(upload)) expect(await exists(key)).toBe(false);
    });

    it("keeps an output a later edit takes as input, as a plain upload", async () => {
      const user = await makeUser(t.db);
      signInAs(user);
      const parent = await seedGeneration(t.db, user.id, { kind: "create" });
      const output = parent.outputs[0]!;
      const child = await seedGeneration(t.db, user.id, {
        kind: "edit",
        status: "processing",
        inputIds: [output.id],
      });

      expect((await del.deleteGeneration(parent.generation.id)).ok).toBe(true);
      const kept = await t.db.asset.findUniqueOrThrow({ where: { id: output.id } });
      expect(kept).toMatchObject({ kind: "upload", generationId: null });
      for (const key of filesOf(output)) expect(await exists(key)).toBe(true);
      expect(await t.db.generationInput.count({ where: { generationId: child.generation.id } })).toBe(1);
    });

    it("refuses a job that is still running and changes nothing", async () => {
      const user = await makeUser(t.db);
      signInAs(user);
      for (const status of ["submitting", "queued", "processing"] as const) {
        const { generation } = await seedGeneration(t.db, user.id, { status, outputs: 1 });
        const result = await del.deleteGeneration(generation.id);
        expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
        expect(!result.ok && result.error.message).toMatch(/Wait until the job finishes/);
        expect(
          (await t.db.generation.findUniqueOrThrow({ where: { id: generation.id } })).deletedAt,
        ).toBeNull();
      }
      expect(await t.db.asset.count({ where: { userId: user.id } })).toBe(3);
      expect(await storedFilesOf(user.id)).toHaveLength(6);
    });

    it("answers not_found for another user's generation and changes nothing", async () => {
      const owner = await makeUser(t.db);
      const { generation, outputs } = await seedGeneration(t.db, owner.id);
      signInAs(await makeUser(t.db));
      expect(await del.deleteGeneration(generation.id)).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      expect(
        (await t.db.generation.findUniqueOrThrow({ where: { id: generation.id } })).deletedAt,
      ).toBeNull();
      expect(await t.db.asset.count({ where: { generationId: generation.id } })).toBe(1);
      for (const key of outputs.flatMap(filesOf)) expect(await exists(key)).toBe(true);
    });

    it("deletes a failed job, and a second delete finds nothing", async () => {
      const user = await makeUser(t.db);
      signInAs(user);
      const { generation } = await seedGeneration(t.db, user.id, { status: "failed" });
      expect((await del.deleteGeneration(generation.id)).ok).toBe(true);
      expect(await del.deleteGeneration(generation.id)).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
    });

    it("refuses anonymous callers and malformed ids", async () => {
      signOutAll();
      expect(await del.deleteGeneration("whatever")).toMatchObject({
        ok: false,
        error: { code: "unauthorized" },
      });
      signInAs(await makeUser(t.db));
      expect(await del.deleteGeneration("../x")).toMatchObject({ ok: false, error: { code: "not_found" } });
    });
  });

  describe("setFavorite", () => {
    it("marks and unmarks the owner's generation", async () => {
      const user = await makeUser(t.db);
      signInAs(user);
      const { generation } = await seedGeneration(t.db, user.id, { outputs: 0 });
      expect(await fav.setFavorite({ id: generation.id, favorite: true })).toEqual({
        ok: true,
        data: { favorite: true },
      });
      expect((await t.db.generation.findUniqueOrThrow({ where: { id: generation.id } })).favorite).toBe(true);
      expect(await fav.setFavorite({ id: generation.id, favorite: false })).toEqual({
        ok: true,
        data: { favorite: false },
      });
      expect((await t.db.generation.findUniqueOrThrow({ where: { id: generation.id } })).favorite).toBe(
        false,
      );
    });

    it("answers not_found for another user's or a deleted generation and changes nothing", async () => {
      const owner = await makeUser(t.db);
      const { generation } = await seedGeneration(t.db, owner.id, { outputs: 0 });
      signInAs(await makeUser(t.db));
      expect(await fav.setFavorite({ id: generation.id, favorite: true })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      expect((await t.db.generation.findUniqueOrThrow({ where: { id: generation.id } })).favorite).toBe(
        false,
      );

      signInAs(owner);
      await t.db.generation.update({ where: { id: generation.id }, data: { deletedAt: new Date() } });
      expect(await fav.setFavorite({ id: generation.id, favorite: true })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
    });

    it("refuses bad input and anonymous callers", async () => {
      signInAs(await makeUser(t.db));
      expect(await fav.setFavorite({ id: "", favorite: true })).toMatchObject({
        ok: false,
        error: { code: "invalid_input" },
      });
      expect(await fav.setFavorite({ id: "abc", favorite: "yes" as unknown as boolean })).toMatchObject({
        ok: false,
        error: { code: "invalid_input" },
      });
      signOutAll();
      expect(await fav.setFavorite({ id: "abc", favorite: true })).toMatchObject({
        ok: false,
        error: { code: "unauthorized" },
      });
    });
  });
});
