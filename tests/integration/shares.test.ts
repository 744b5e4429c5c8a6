import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as MediaRouteModule from "@/app/api/share/[shareId]/media/[assetId]/[variant]/route";
import type * as PreviewRouteModule from "@/app/api/share/[shareId]/preview/route";
import type * as CreateModule from "@/server/actions/create-share";
import type * as ListModule from "@/server/actions/list-shares";
import type * as RevokeModule from "@/server/actions/revoke-share";
import type * as SharePageModule from "@/server/shares/share-page";

import { makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration, storeAsset } from "./support/studio";

// A small allowance so the per-address limit can be reached; every other request comes from an
// address of its own.
const LIMIT = vi.hoisted(() => {
  process.env.SHARE_REQUESTS_PER_IP_PER_MINUTE = "12";
  return 12;
});
vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));
const pageRequest = vi.hoisted(() => ({ ip: "203.0.113.1" }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": pageRequest.ip }),
}));

describe.each(DB_KINDS)("share links on %s", (kind) => {
  let t: TestDb;
  let create: typeof CreateModule;
  let revoke: typeof RevokeModule;
  let list: typeof ListModule;
  let media: typeof MediaRouteModule;
  let preview: typeof PreviewRouteModule;
  let page: typeof SharePageModule;
  let ipCounter = 0;
  const nextIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

  beforeAll(async () => {
    t = await loadStudio(kind);
    create = await import("@/server/actions/create-share");
    revoke = await import("@/server/actions/revoke-share");
    list = await import("@/server/actions/list-shares");
    media = await import("@/app/api/share/[shareId]/media/[assetId]/[variant]/route");
    preview = await import("@/app/api/share/[shareId]/preview/route");
    page = await import("@/server/shares/share-page");
  });
  afterAll(async () => t?.close());

  async function share(input: Parameters<typeof create.createShareAction>[0]) {
    const result = await create.createShareAction(input);
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  }
  const getMedia = (shareId: string, assetId: string, variant = "original", ip = nextIp(), headers = {}) =>
    media.GET(
      new Request(`http://localhost/api/share/${shareId}/media/${assetId}/${variant}`, {
        headers: { "x-forwarded-for": ip, ...headers },
      }),
      { params: Promise.resolve({ shareId, assetId, variant }) },
    );
  const getPreview = (shareId: string, headers: Record<string, string> = {}) =>
    preview.GET(
      new Request(`http://localhost/api/share/${shareId}/preview`, {
        headers: { "x-forwarded-for": nextIp(), ...headers },
      }),
      { params: Promise.resolve({ shareId }) },
    );
  async function view(id: string) {
    pageRequest.ip = nextIp();
    return page.viewShare(id);
  }

  it("shares one image under an unguessable id, with its prompt only when asked, and nothing else", async () => {
    const owner = await makeUser(t.db, 50, "owner-secret@example.test");
    await t.db.user.update({ where: { id: owner.id }, data: { name: "Owner Name" } });
    signInAs(owner);
    const { generation, outputs } = await seedGeneration(t.db, owner.id, { prompt: "a private prompt" });
    const other = await seedGeneration(t.db, owner.id, { prompt: "another image" });
    const upload = await storeAsset(t.db, owner.id, { kind: "upload" });

    const hidden = await share({ target: { kind: "generation", id: generation.id } });
    expect(hidden.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(Buffer.from(hidden.id, "base64url")).toHaveLength(18);
    expect(hidden).toMatchObject({
      kind: "generation",
      showPrompt: false,
      allowIndexing: false,
      expiresAt: null,
    });
    const shown = await share({ target: { kind: "generation", id: generation.id }, showPrompt: true });
    expect(shown.id).not.toBe(hidden.id);

    const hiddenView = await view(hidden.id);
    expect(hiddenView).toMatchObject({ state: "shown", share: { kind: "generation", title: null } });
    if (hiddenView?.state !== "shown") throw new Error("not shown");
    expect(hiddenView.share.images).toEqual([
      expect.objectContaining({ assetId: outputs[0]!.id, prompt: null }),
    ]);
    const text = JSON.stringify(hiddenView);
    for (const secret of [
      "a private prompt",
      "owner-secret",
      "Owner Name",
      owner.id,
      "credits",
      other.generation.id,
    ]) {
      expect(text).not.toContain(secret);
    }
    const shownView = await view(shown.id);
    expect(shownView?.state === "shown" && shownView.share.images[0]?.prompt).toBe("a private prompt");

    const response = await getMedia(hidden.id, outputs[0]!.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("content-type")).toBe(outputs[0]!.mime);
    const etag = response.headers.get("etag")!;
    expect((await getMedia(hidden.id, outputs[0]!.id, "thumb")).headers.get("content-type")).toBe(
      "image/webp",
    );
    expect(
      (await getMedia(hidden.id, outputs[0]!.id, "original", nextIp(), { "if-none-match": etag })).status,
    ).toBe(304);

    // Through the link, no other asset of the owner is reachable.
    for (const assetId of [other.outputs[0]!.id, upload.id, "not-an-id", "../../etc"]) {
      const refused = await getMedia(hidden.id, assetId);
      expect(refused.status).toBe(404);
      expect(await refused.json()).toEqual({ error: { code: "not_found", message: "Image not found." } });
    }
    expect((await getMedia(hidden.id, outputs[0]!.id, "raw")).status).toBe(404);
  });

  it("shares a collection's live images, and follows the collection as it changes", async () => {
    const owner = await makeUser(t.db);
    signInAs(owner);
    const { createCollectionAction } = await import("@/server/actions/create-collection");
    const { addToCollectionAction } = await import("@/server/actions/add-to-collection");
    const { removeFromCollectionAction } = await import("@/server/actions/remove-from-collection");
    const made = await createCollectionAction({ name: "Lisbon" });
    if (!made.ok) throw new Error(made.error.message);
    const [a, b, outside] = [
      await seedGeneration(t.db, owner.id, { prompt: "tram" }),
      await seedGeneration(t.db, owner.id, { prompt: "tiles" }),
      await seedGeneration(t.db, owner.id, { prompt: "not in it" }),
    ];
    await addToCollectionAction({ id: made.data.id, target: { ids: [a.generation.id, b.generation.id] } });
    const link = await share({ target: { kind: "collection", id: made.data.id }, showPrompt: true });
    expect(link).toMatchObject({ kind: "collection", label: "Lisbon", targetId: made.data.id });

    const shown = await view(link.id);
    if (shown?.state !== "shown") throw new Error("not shown");
    expect(shown.share.title).toBe("Lisbon");
    expect(shown.share.images.map((i) => i.prompt).sort()).toEqual(["tiles", "tram"]);
    expect((await getMedia(link.id, a.outputs[0]!.id)).status).toBe(200);
    expect((await getMedia(link.id, outside.outputs[0]!.id)).status).toBe(404);

    await removeFromCollectionAction({ id: made.data.id, target: { ids: [a.generation.id] } });
    expect((await getMedia(link.id, a.outputs[0]!.id)).status).toBe(404);
    const { deleteGeneration } = await import("@/server/actions/delete-generation");
    expect((await deleteGeneration(b.generation.id)).ok).toBe(true);
    expect((await getMedia(link.id, b.outputs[0]!.id)).status).toBe(404);
    const emptied = await view(link.id);
    expect(emptied?.state === "shown" && emptied.share.images).toEqual([]);
  });

  it("answers a revoked, expired or unknown link with the same 404, page, images and preview alike", async () => {
    const owner = await makeUser(t.db);
    signInAs(owner);
    const { generation, outputs } = await seedGeneration(t.db, owner.id);
    const revoked = await share({ target: { kind: "generation", id: generation.id } });
    const expiring = await share({ target: { kind: "generation", id: generation.id }, expiresInDays: 1 });
    expect(new Date(expiring.expiresAt!).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect((await getPreview(revoked.id)).status).toBe(200);

    expect(await revoke.revokeShareAction({ id: revoked.id })).toEqual({ ok: true, data: null });
    expect(await revoke.revokeShareAction({ id: revoked.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    await t.db.shareLink.update({
      where: { id: expiring.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const unknown = "A".repeat(24);

    const answers = [];
    for (const id of [revoked.id, expiring.id, unknown]) {
      expect(await view(id)).toBeNull();
      expect(await page.shareMetadata(id)).toEqual({
        title: "Not found",
        robots: { index: false, follow: false },
      });
      const image = await getMedia(id, outputs[0]!.id);
      const picture = await getPreview(id);
      expect([image.status, picture.status]).toEqual([404, 404]);
      answers.push([await image.text(), await picture.text()]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect((await list.listSharesAction({ target: { kind: "generation", id: generation.id } })).ok).toBe(
      true,
    );
    const { listShares } = await import("@/server/shares/shares");
    expect(await listShares(owner.id)).toEqual([]);
  });

  it("tags the page for link previews, noindex unless the owner allowed indexing", async () => {
    const owner = await makeUser(t.db);
    signInAs(owner);
    const { generation } = await seedGeneration(t.db, owner.id, { prompt: "a heron in the reeds" });
    const plain = await share({ target: { kind: "generation", id: generation.id } });
    const open = await share({
      target: { kind: "generation", id: generation.id },
      allowIndexing: true,
      showPrompt: true,
    });

    const closed = await page.shareMetadata(plain.id);
    expect(closed.robots).toEqual({ index: false, follow: false });
    expect(closed.description).toBe("An image made with Reve Studio.");
    const previewUrl = `http://localhost:3000/api/share/${plain.id}/preview`;
    expect(closed.openGraph).toMatchObject({
      url: `http://localhost:3000/s/${plain.id}`,
      images: [{ url: previewUrl, width: 1200, height: 630 }],
    });
    expect(closed.twitter).toMatchObject({ card: "summary_large_image", images: [{ url: previewUrl }] });
    const indexed = await page.shareMetadata(open.id);
    expect(indexed.robots).toEqual({ index: true, follow: false });
    expect(indexed.description).toBe("a heron in the reeds");
  });

  it("draws a 1200×630 JPEG preview once per content, then answers from memory and with 304", async () => {
    const owner = await makeUser(t.db);
    signInAs(owner);
    const { createCollectionAction } = await import("@/server/actions/create-collection");
    const { addToCollectionAction } = await import("@/server/actions/add-to-collection");
    const made = await createCollectionAction({ name: "Three" });
    if (!made.ok) throw new Error(made.error.message);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await seedGeneration(t.db, owner.id)).generation.id);
    await addToCollectionAction({ id: made.data.id, target: { ids } });
    const link = await share({ target: { kind: "collection", id: made.data.id } });
    const { previewRenders } = await import("@/server/shares/share-preview");

    const before = previewRenders();
    const first = await getPreview(link.id);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/jpeg");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    const meta = await sharp(Buffer.from(await first.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1200, 630]);
    expect(previewRenders()).toBe(before + 1);

    const again = await getPreview(link.id);
    expect(again.status).toBe(200);
    expect(previewRenders()).toBe(before + 1);
    const etag = first.headers.get("etag")!;
    expect((await getPreview(link.id, { "if-none-match": etag })).status).toBe(304);

    // A change in what is shown draws a new one.
    const { removeFromCollectionAction } = await import("@/server/actions/remove-from-collection");
    await removeFromCollectionAction({ id: made.data.id, target: { ids: [ids[0]!] } });
    const changed = await getPreview(link.id);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(previewRenders()).toBe(before + 2);
  });

  it("limits requests per client address, and other addresses go on", async () => {
    const owner = await makeUser(t.db);
    signInAs(owner);
    const { generation, outputs } = await seedGeneration(t.db, owner.id);
    const link = await share({ target: { kind: "generation", id: generation.id } });
    const ip = "192.0.2.77";
    for (let i = 0; i < LIMIT; i++)
      expect((await getMedia(link.id, outputs[0]!.id, "thumb", ip)).status).toBe(200);
    const refused = await getMedia(link.id, outputs[0]!.id, "thumb", ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Unknown ids spend the same allowance: guessing costs as much as looking.
    expect((await getMedia("B".repeat(24), outputs[0]!.id, "thumb", ip)).status).toBe(429);
    pageRequest.ip = ip;
    expect(await page.viewShare(link.id)).toMatchObject({ state: "limited" });
    expect((await getMedia(link.id, outputs[0]!.id, "thumb")).status).toBe(200);
  });

  it("removes an image's links with the image, and every link with the account", async () => {
    const owner = await makeUser(t.db);
    signInAs(owner);
    const { generation } = await seedGeneration(t.db, owner.id);
    const other = await seedGeneration(t.db, owner.id);
    await share({ target: { kind: "generation", id: generation.id } });
    const kept = await share({ target: { kind: "generation", id: other.generation.id } });
    const { deleteGeneration } = await import("@/server/actions/delete-generation");
    expect((await deleteGeneration(generation.id)).ok).toBe(true);
    expect(await t.db.shareLink.findMany({ where: { userId: owner.id }, select: { id: true } })).toEqual([
      { id: kept.id },
    ]);

    const { deleteAccountData } = await import("@/server/account/delete-account");
    await deleteAccountData(owner.id, owner.email!);
    expect(await t.db.shareLink.count({ where: { userId: owner.id } })).toBe(0);
    expect(await view(kept.id)).toBeNull();
  });

  it("refuses to share what is not the caller's, or an image that is not finished", async () => {
    const owner = await makeUser(t.db);
    const stranger = await makeUser(t.db);
    signInAs(owner);
    const { generation } = await seedGeneration(t.db, owner.id);
    const running = await seedGeneration(t.db, owner.id, { status: "processing" });
    const { createCollectionAction } = await import("@/server/actions/create-collection");
    const made = await createCollectionAction({ name: "Mine" });
    if (!made.ok) throw new Error(made.error.message);
    const mine = await share({ target: { kind: "generation", id: generation.id } });
    expect(
      await create.createShareAction({ target: { kind: "generation", id: running.generation.id } }),
    ).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "That image no longer exists." },
    });

    signInAs(stranger);
    expect(
      await create.createShareAction({ target: { kind: "generation", id: generation.id } }),
    ).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "That image no longer exists." },
    });
    expect(
      await create.createShareAction({ target: { kind: "collection", id: made.data.id } }),
    ).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "That collection no longer exists." },
    });
    expect(await revoke.revokeShareAction({ id: mine.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await list.listSharesAction({ target: { kind: "generation", id: generation.id } })).toEqual({
      ok: true,
      data: [],
    });
    expect(await t.db.shareLink.count({ where: { id: mine.id } })).toBe(1);
  });
});
