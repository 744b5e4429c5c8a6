import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as AddModule from "@/server/actions/add-to-collection";
import type * as CreateModule from "@/server/actions/create-collection";
import type * as DeleteModule from "@/server/actions/delete-collection";
import type * as RemoveModule from "@/server/actions/remove-from-collection";
import type * as RenameModule from "@/server/actions/rename-collection";

import { makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("collections on %s", (kind) => {
  let t: TestDb;
  let create: typeof CreateModule;
  let rename: typeof RenameModule;
  let remove: typeof DeleteModule;
  let add: typeof AddModule;
  let takeOut: typeof RemoveModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    create = await import("@/server/actions/create-collection");
    rename = await import("@/server/actions/rename-collection");
    remove = await import("@/server/actions/delete-collection");
    add = await import("@/server/actions/add-to-collection");
    takeOut = await import("@/server/actions/remove-from-collection");
  });
  afterAll(async () => t?.close());

  async function newCollection(name: string) {
    const result = await create.createCollectionAction({ name });
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  }
  const gallery = async (userId: string, filter: Record<string, string>) => {
    const { listGenerations } = await import("@/server/generations/queries");
    const { galleryQuerySchema } = await import("@/lib/gallery-filter");
    return (await listGenerations(userId, galleryQuerySchema.parse(filter))).items.map((g) => g.id).sort();
  };

  it("creates, renames, lists with counts and deletes without touching an image", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const trip = await newCollection("  Trip to Lisbon ");
    expect(trip).toMatchObject({ name: "Trip to Lisbon", count: 0 });
    expect(await create.createCollectionAction({ name: "Trip to Lisbon" })).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "You already have a collection named “Trip to Lisbon”." },
    });
    const other = await newCollection("Portraits");
    expect(await rename.renameCollectionAction({ id: other.id, name: "Trip to Lisbon" })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    expect(await rename.renameCollectionAction({ id: trip.id, name: "Lisbon" })).toEqual({
      ok: true,
      data: { id: trip.id, name: "Lisbon" },
    });

    const images = [await seedGeneration(t.db, user.id), await seedGeneration(t.db, user.id)];
    const ids = images.map((i) => i.generation.id);
    expect(await add.addToCollectionAction({ id: trip.id, target: { ids } })).toEqual({
      ok: true,
      data: { changed: 2, ignored: 0 },
    });
    // An image can be in many collections; adding twice is not an error.
    expect((await add.addToCollectionAction({ id: other.id, target: { ids: [ids[0]!] } })).ok).toBe(true);
    expect(await add.addToCollectionAction({ id: trip.id, target: { ids } })).toEqual({
      ok: true,
      data: { changed: 0, ignored: 0 },
    });
    const { listCollections } = await import("@/server/collections/collections");
    expect(await listCollections(user.id)).toEqual([
      { id: trip.id, name: "Lisbon", count: 2 },
      { id: other.id, name: "Portraits", count: 1 },
    ]);

    expect(await remove.deleteCollectionAction({ id: trip.id })).toEqual({ ok: true, data: null });
    expect(await t.db.generation.count({ where: { id: { in: ids }, deletedAt: null } })).toBe(2);
    expect(await t.db.asset.count({ where: { generationId: { in: ids } } })).toBe(2);
    expect(await t.db.collectionItem.count({ where: { collectionId: trip.id } })).toBe(0);
    expect(await listCollections(user.id)).toEqual([{ id: other.id, name: "Portraits", count: 1 }]);
    expect(await remove.deleteCollectionAction({ id: trip.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });

  it("opens as a filtered gallery, combined with the other filters, without deleted images", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const boards = await newCollection("Boards");
    const inside = await seedGeneration(t.db, user.id, { prompt: "red boat" });
    const insideFav = await seedGeneration(t.db, user.id, { prompt: "blue boat", favorite: true });
    const gone = await seedGeneration(t.db, user.id, { prompt: "grey boat" });
    await seedGeneration(t.db, user.id, { prompt: "red boat outside" });
    const ids = [inside, insideFav, gone].map((g) => g.generation.id);
    await add.addToCollectionAction({ id: boards.id, target: { ids } });
    await t.db.generation.update({ where: { id: gone.generation.id }, data: { deletedAt: new Date() } });

    expect(await gallery(user.id, { collection: boards.id })).toEqual(
      [inside.generation.id, insideFav.generation.id].sort(),
    );
    expect(await gallery(user.id, { collection: boards.id, q: "red" })).toEqual([inside.generation.id]);
    expect(await gallery(user.id, { collection: boards.id, favorite: "1" })).toEqual([
      insideFav.generation.id,
    ]);

    // Taking one out leaves the image in the gallery.
    expect(
      await takeOut.removeFromCollectionAction({ id: boards.id, target: { ids: [inside.generation.id] } }),
    ).toEqual({ ok: true, data: { changed: 1, ignored: 0 } });
    expect(await gallery(user.id, { collection: boards.id })).toEqual([insideFav.generation.id]);
    expect(await gallery(user.id, {})).toContain(inside.generation.id);
  });

  it("a foreign collection acts on nothing and shows nothing; foreign images are never added", async () => {
    const owner = await makeUser(t.db);
    const stranger = await makeUser(t.db);
    signInAs(owner);
    const theirs = await newCollection("Owner's");
    const ownerImage = await seedGeneration(t.db, owner.id);
    await add.addToCollectionAction({ id: theirs.id, target: { ids: [ownerImage.generation.id] } });

    signInAs(stranger);
    const mine = await newCollection("Stranger's");
    const strangerImage = await seedGeneration(t.db, stranger.id);
    const refused = [
      await rename.renameCollectionAction({ id: theirs.id, name: "taken over" }),
      await remove.deleteCollectionAction({ id: theirs.id }),
      await add.addToCollectionAction({ id: theirs.id, target: { ids: [strangerImage.generation.id] } }),
      await takeOut.removeFromCollectionAction({
        id: theirs.id,
        target: { ids: [ownerImage.generation.id] },
      }),
    ];
    for (const result of refused) expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await gallery(stranger.id, { collection: theirs.id })).toEqual([]);
    // The owner's image mixed into the stranger's own collection: counted, never added.
    expect(
      await add.addToCollectionAction({
        id: mine.id,
        target: { ids: [ownerImage.generation.id, strangerImage.generation.id] },
      }),
    ).toEqual({ ok: true, data: { changed: 1, ignored: 1 } });

    const row = await t.db.collection.findUniqueOrThrow({
      where: { id: theirs.id },
      include: { items: true },
    });
    expect(row.name).toBe("Owner's");
    expect(row.items.map((i) => i.generationId)).toEqual([ownerImage.generation.id]);
    expect(await t.db.collectionItem.count({ where: { generationId: ownerImage.generation.id } })).toBe(1);
  });

  it("refuses bad names and ids clearly", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const cases: [() => Promise<{ ok: boolean; error?: { message: string } }>, RegExp][] = [
      [() => create.createCollectionAction({ name: "   " }), /Give the collection a name/],
      [() => create.createCollectionAction({ name: "x".repeat(61) }), /at most 60 characters/],
      [() => rename.renameCollectionAction({ id: "../x", name: "a" }), /no longer exists/],
      [() => add.addToCollectionAction({ id: "c1", target: { ids: [] } }), /at least one/],
    ];
    for (const [run, message] of cases) {
      const result = await run();
      expect(result.ok).toBe(false);
      expect(result.error?.message).toMatch(message);
    }
    expect(await t.db.collection.count({ where: { userId: user.id } })).toBe(0);
  });
});
