import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as CountModule from "@/server/actions/count-matching";
import type * as DeleteManyModule from "@/server/actions/delete-generations";
import type * as FavoritesModule from "@/server/actions/set-favorites";

import { makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration, storeAsset } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("bulk gallery actions on %s", (kind) => {
  let t: TestDb;
  let del: typeof DeleteManyModule;
  let fav: typeof FavoritesModule;
  let count: typeof CountModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    del = await import("@/server/actions/delete-generations");
    fav = await import("@/server/actions/set-favorites");
    count = await import("@/server/actions/count-matching");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  const live = (ids: string[]) => t.db.generation.count({ where: { id: { in: ids }, deletedAt: null } });

  it("deletes the selection, keeps outputs other jobs use and says so in counts", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const plain = [];
    for (let i = 0; i < 3; i++) plain.push(await seedGeneration(t.db, user.id, { outputs: 1 }));
    // Two outputs of the selection are inputs of jobs outside it: they stay, as uploads.
    const used = await seedGeneration(t.db, user.id, { outputs: 2 });
    const child = await seedGeneration(t.db, user.id, {
      kind: "remix",
      inputIds: used.outputs.map((o) => o.id),
    });
    const running = await seedGeneration(t.db, user.id, { status: "processing" });
    const ids = [...plain.map((p) => p.generation.id), used.generation.id, running.generation.id];

    const result = await del.deleteGenerations({ ids });

    expect(result).toEqual({
      ok: true,
      data: {
        deleted: 4,
        kept: 2,
        running: 1,
        ignored: 0,
        message: "Deleted 4 images; 2 kept because other images use them; 1 job still running, left alone.",
      },
    });
    expect(await live(ids)).toBe(1);
    for (const output of used.outputs) {
      expect(await t.db.asset.findUniqueOrThrow({ where: { id: output.id } })).toMatchObject({
        kind: "upload",
        generationId: null,
      });
    }
    for (const p of plain)
      expect(await t.db.asset.findUnique({ where: { id: p.outputs[0]!.id } })).toBeNull();
    expect(await live([child.generation.id])).toBe(1);
  });

  it("acts on nothing of another user's when foreign ids are mixed in, and counts them", async () => {
    const owner = await makeUser(t.db);
    const other = await makeUser(t.db);
    const theirs = await seedGeneration(t.db, other.id, { favorite: false });
    const mine = await seedGeneration(t.db, owner.id);
    signInAs(owner);

    const favorited = await fav.setFavorites({
      target: { ids: [mine.generation.id, theirs.generation.id, "no-such-id"] },
      favorite: true,
    });
    expect(favorited).toEqual({ ok: true, data: { changed: 1, ignored: 2 } });
    const deleted = await del.deleteGenerations({ ids: [theirs.generation.id, mine.generation.id] });
    expect(deleted).toMatchObject({ ok: true, data: { deleted: 1, ignored: 1 } });
    expect(!deleted.ok || deleted.data.message).toBe("Deleted 1 image; 1 item not found.");

    const after = await t.db.generation.findUniqueOrThrow({ where: { id: theirs.generation.id } });
    expect(after).toMatchObject({ deletedAt: null, favorite: false });
    expect(await t.db.asset.count({ where: { id: theirs.outputs[0]!.id } })).toBe(1);
  });

  it("select all matching resolves the filter on the server, beyond what a page loads", async () => {
    const user = await makeUser(t.db);
    const other = await makeUser(t.db);
    signInAs(user);
    // More than one gallery page (24) of matches, plus rows the filter must leave out.
    const matching = [];
    for (let i = 0; i < 30; i++) {
      matching.push(
        (await seedGeneration(t.db, user.id, { prompt: `sunset harbour ${i}`, outputs: 0 })).generation.id,
      );
    }
    const otherPrompt = await seedGeneration(t.db, user.id, { prompt: "a forest", outputs: 0 });
    const theirs = await seedGeneration(t.db, other.id, { prompt: "sunset harbour", outputs: 0 });
    const filter = { q: "sunset HARBOUR" };

    expect(await count.countMatchingGenerations(filter)).toEqual({ ok: true, data: 30 });
    expect(await fav.setFavorites({ target: { all: true, filter }, favorite: true })).toEqual({
      ok: true,
      data: { changed: 30, ignored: 0 },
    });
    expect(await t.db.generation.count({ where: { id: { in: matching }, favorite: true } })).toBe(30);

    const result = await del.deleteGenerations({ all: true, filter: { q: "sunset harbour", favorite: "1" } });
    expect(result).toMatchObject({ ok: true, data: { deleted: 30, ignored: 0 } });
    expect(await live(matching)).toBe(0);
    expect(await live([otherPrompt.generation.id, theirs.generation.id])).toBe(2);
    expect((await t.db.generation.findUniqueOrThrow({ where: { id: theirs.generation.id } })).favorite).toBe(
      false,
    );
  });

  it("refuses bad input clearly and changes nothing", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const mine = await seedGeneration(t.db, user.id);
    const cases: [unknown, RegExp][] = [
      [{ ids: [] }, /at least one/],
      [{ ids: Array.from({ length: 501 }, (_, i) => `id${i}`) }, /at most 500/],
      [{ ids: [mine.generation.id, "../etc/passwd"] }, /not valid/],
      [{ ids: "all" }, /list of ids/],
      [{}, /a list of ids, or all that match/],
      [{ ids: [mine.generation.id], all: true }, /a list of ids, or all that match/],
      [{ all: true, filter: { kind: "paint" } }, /kind must be one of/],
    ];
    for (const [input, message] of cases) {
      const result = await del.deleteGenerations(input as never);
      expect(result).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(!result.ok && result.error.message).toMatch(message);
    }
    expect(await live([mine.generation.id])).toBe(1);
    expect(
      await fav.setFavorites({ target: { ids: [mine.generation.id] }, favorite: "yes" } as never),
    ).toMatchObject({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Say whether to mark or unmark: favorite must be true or false.",
      },
    });
  });

  it("keeps an upload used by a job outside the selection", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const upload = await storeAsset(t.db, user.id, { kind: "upload" });
    const a = await seedGeneration(t.db, user.id, { kind: "edit", inputIds: [upload.id] });
    await seedGeneration(t.db, user.id, { kind: "edit", inputIds: [upload.id] });
    expect((await del.deleteGenerations({ ids: [a.generation.id] })).ok).toBe(true);
    expect(await t.db.asset.count({ where: { id: upload.id } })).toBe(1);
  });

  describe("download as a ZIP", () => {
    const post = async (body: string) => {
      const route = await import("@/app/api/generations/zip/route");
      return route.POST(
        new Request("http://localhost/api/generations/zip", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        }),
        { params: Promise.resolve({}) },
      );
    };
    const form = (target: unknown) => new URLSearchParams({ target: JSON.stringify(target) }).toString();

    it("streams the originals of the user's selected images, and nothing of another user's", async () => {
      const user = await makeUser(t.db);
      const other = await makeUser(t.db);
      const a = await seedGeneration(t.db, user.id, { outputs: 2 });
      const b = await seedGeneration(t.db, user.id, { outputs: 1 });
      const unselected = await seedGeneration(t.db, user.id, { outputs: 1 });
      const theirs = await seedGeneration(t.db, other.id, { outputs: 1 });
      // Settings inside downloads off: the entries are the stored files as they are
      // (tests/integration/file-settings.test.ts covers them with settings inside).
      await t.db.user.update({ where: { id: user.id }, data: { embedSettings: false } });
      signInAs(user);

      const response = await post(form({ ids: [a.generation.id, b.generation.id, theirs.generation.id] }));

      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      expect(response.headers.get("content-disposition")).toMatch(
        /^attachment; filename="reve-studio-images-/,
      );
      const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
      const names = Object.keys(files).sort();
      const expected = [...a.outputs, ...b.outputs].map((o) => o.id);
      expect(names).toHaveLength(3);
      for (const id of expected) expect(names.some((n) => n.includes(id))).toBe(true);
      for (const out of [...unselected.outputs, ...theirs.outputs]) {
        expect(names.some((n) => n.includes(out.id))).toBe(false);
      }
      // Each entry is the stored original, byte for byte.
      const { getStorage } = await import("@/server/storage");
      const original = await getStorage().get(a.outputs[0]!.storageKey);
      const entry = names.find((n) => n.includes(a.outputs[0]!.id))!;
      expect(Buffer.from(files[entry]!).equals(original!.body)).toBe(true);
    });

    it("answers 404 for a selection of another user's images only, and 400 for a malformed one", async () => {
      const user = await makeUser(t.db);
      const other = await makeUser(t.db);
      const theirs = await seedGeneration(t.db, other.id, { outputs: 1 });
      signInAs(user);
      expect((await post(form({ ids: [theirs.generation.id] }))).status).toBe(404);
      const bad = await post(form({ ids: ["../x"] }));
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        error: { message: "The selection holds an id that is not valid." },
      });
      expect((await post("target=not-json")).status).toBe(400);
      signInAs(null);
      expect((await post(form({ ids: [theirs.generation.id] }))).status).toBe(401);
    });
  });
});
