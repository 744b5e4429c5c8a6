import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as ExportRouteModule from "@/app/api/account/export/route";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration, storeAsset } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

interface ExportedGeneration {
  id: string;
  kind: string;
  status: string;
  prompt: string;
  favorite: boolean;
  charged: boolean;
  cost: number;
  createdAt: string;
  inputs: { assetId: string; file: string }[];
  outputs: { assetId: string; file: string }[];
}

describe.each(DB_KINDS)("GET /api/account/export on %s", (kind) => {
  let t: TestDb;
  let route: typeof ExportRouteModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    route = await import("@/app/api/account/export/route");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  async function storedBytes(key: string) {
    const { getStorage } = await import("@/server/storage");
    return new Uint8Array((await getStorage().get(key))!.body);
  }

  async function download() {
    const response = await route.GET(new Request("http://localhost/api/account/export"));
    expect(response.status).toBe(200);
    return { response, files: unzipSync(new Uint8Array(await response.arrayBuffer())) };
  }

  it("zips every image the user owns with generations.json and ledger.json", async () => {
    const user = await makeUser(t.db);
    const other = await makeUser(t.db);
    const upload = await storeAsset(t.db, user.id, { kind: "upload", color: "#112233" });
    const loose = await storeAsset(t.db, user.id, { kind: "upload", color: "#445566" });
    const created = await seedGeneration(t.db, user.id, { kind: "create", favorite: true, outputs: 2 });
    const edited = await seedGeneration(t.db, user.id, { kind: "edit", inputIds: [upload.id] });
    const failed = await seedGeneration(t.db, user.id, { status: "failed" });
    const hidden = await seedGeneration(t.db, user.id, { outputs: 0 });
    await t.db.generation.update({ where: { id: hidden.generation.id }, data: { deletedAt: new Date() } });
    const othersWork = await seedGeneration(t.db, other.id);
    const othersUpload = await storeAsset(t.db, other.id, { kind: "upload" });
    const board = await t.db.collection.create({
      data: {
        userId: user.id,
        name: "Board",
        items: { create: [{ generationId: created.generation.id }, { generationId: hidden.generation.id }] },
      },
    });
    await t.db.collection.create({ data: { userId: other.id, name: "Not theirs" } });
    const link = await t.db.shareLink.create({
      data: { id: "L".repeat(24), userId: user.id, collectionId: board.id, showPrompt: true },
    });
    await t.db.shareLink.create({
      data: { id: "O".repeat(24), userId: other.id, generationId: othersWork.generation.id },
    });
    const preset = await t.db.promptPreset.create({
      data: {
        userId: user.id,
        name: "Dusk",
        settings: { prompt: "a lighthouse at dusk", aspectRatio: "16:9", seed: 7 },
      },
    });
    await t.db.promptPreset.create({ data: { userId: other.id, name: "Theirs", settings: { prompt: "x" } } });
    signInAs(user);

    const { response, files } = await download();

    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="reve-studio-export-\d{4}-\d{2}-\d{2}\.zip"$/,
    );

    const images = [
      ...created.outputs.map((a) => ({ a, path: `images/${created.generation.id}/${a.id}.png` })),
      ...edited.outputs.map((a) => ({ a, path: `images/${edited.generation.id}/${a.id}.png` })),
      { a: upload, path: `images/uploads/${upload.id}.png` },
      { a: loose, path: `images/uploads/${loose.id}.png` },
    ];
    expect(Object.keys(files).sort()).toEqual(
      [
        "collections.json",
        "generations.json",
        "ledger.json",
        "presets.json",
        "shares.json",
        ...images.map((i) => i.path),
      ].sort(),
    );
    for (const { a, path } of images) expect(files[path]).toEqual(await storedBytes(a.storageKey));

    const names = Object.keys(files).join("\n");
    for (const id of [othersWork.outputs[0]!.id, othersUpload.id, othersWork.generation.id]) {
      expect(names).not.toContain(id);
    }

    const generations = JSON.parse(
      new TextDecoder().decode(files["generations.json"]),
    ) as ExportedGeneration[];
    expect(generations.map((g) => g.id).sort()).toEqual(
      [created.generation.id, edited.generation.id, failed.generation.id].sort(),
    );
    const edit = generations.find((g) => g.id === edited.generation.id)!;
    expect(edit).toMatchObject({ kind: "edit", status: "succeeded", charged: true, cost: 1 });
    expect(edit.inputs).toEqual([{ assetId: upload.id, file: `images/uploads/${upload.id}.png` }]);
    expect(edit.outputs.map((o) => o.file)).toEqual([
      `images/${edited.generation.id}/${edited.outputs[0]!.id}.png`,
    ]);
    expect(generations.find((g) => g.id === created.generation.id)).toMatchObject({ favorite: true });
    for (const g of generations)
      for (const o of [...g.inputs, ...g.outputs]) expect(files[o.file]).toBeDefined();

    const ledger = JSON.parse(new TextDecoder().decode(files["ledger.json"])) as { amount: number }[];
    const rows = await t.db.creditLedgerEntry.count({ where: { userId: user.id } });
    expect(ledger).toHaveLength(rows);
    expect(ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(50);

    // Collections travel with the ids of their live images; another user's stay out.
    expect(JSON.parse(new TextDecoder().decode(files["collections.json"]))).toEqual([
      {
        id: board.id,
        name: "Board",
        createdAt: board.createdAt.toISOString(),
        generationIds: [created.generation.id],
      },
    ]);

    // Share links (with their address) and presets travel too; another user's stay out.
    expect(JSON.parse(new TextDecoder().decode(files["shares.json"]))).toEqual([
      {
        id: link.id,
        generationId: null,
        collectionId: board.id,
        showPrompt: true,
        allowIndexing: false,
        expiresAt: null,
        createdAt: link.createdAt.toISOString(),
        url: `http://localhost:3000/s/${link.id}`,
      },
    ]);
    expect(JSON.parse(new TextDecoder().decode(files["presets.json"]))).toEqual([
      {
        id: preset.id,
        name: "Dusk",
        settings: { prompt: "a lighthouse at dusk", aspectRatio: "16:9", seed: 7 },
        createdAt: preset.createdAt.toISOString(),
        updatedAt: preset.updatedAt.toISOString(),
      },
    ]);
  });

  it("exports an empty account as valid, empty JSON arrays", async () => {
    const user = await makeUser(t.db, 0);
    signInAs(user);
    const { files } = await download();
    expect(Object.keys(files).sort()).toEqual([
      "collections.json",
      "generations.json",
      "ledger.json",
      "presets.json",
      "shares.json",
    ]);
    expect(JSON.parse(new TextDecoder().decode(files["collections.json"]))).toEqual([]);
    expect(JSON.parse(new TextDecoder().decode(files["shares.json"]))).toEqual([]);
    expect(JSON.parse(new TextDecoder().decode(files["presets.json"]))).toEqual([]);
    expect(JSON.parse(new TextDecoder().decode(files["generations.json"]))).toEqual([]);
    expect(JSON.parse(new TextDecoder().decode(files["ledger.json"]))).toEqual([]);
  });

  it("skips an image whose file has gone missing and still yields a valid archive", async () => {
    const user = await makeUser(t.db);
    const kept = await storeAsset(t.db, user.id, { kind: "upload" });
    const lost = await storeAsset(t.db, user.id, { kind: "upload" });
    const { getStorage } = await import("@/server/storage");
    await getStorage().delete([lost.storageKey]);
    signInAs(user);
    const { files } = await download();
    expect(files[`images/uploads/${kept.id}.png`]).toBeDefined();
    expect(files[`images/uploads/${lost.id}.png`]).toBeUndefined();
  });

  it("answers 401 to an anonymous request", async () => {
    signOutAll();
    const response = await route.GET(new Request("http://localhost/api/account/export"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });
});
