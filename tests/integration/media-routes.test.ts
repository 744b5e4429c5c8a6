import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as MediaRouteModule from "@/app/api/media/[assetId]/[variant]/route";
import type * as SignedRouteModule from "@/app/api/media/signed/[...key]/route";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, storeAsset } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("media routes on %s", (kind) => {
  let t: TestDb;
  let media: typeof MediaRouteModule;
  let signed: typeof SignedRouteModule;
  let owner: { id: string };
  let asset: Awaited<ReturnType<typeof storeAsset>>;

  beforeAll(async () => {
    t = await loadStudio(kind);
    media = await import("@/app/api/media/[assetId]/[variant]/route");
    signed = await import("@/app/api/media/signed/[...key]/route");
    owner = await makeUser(t.db);
    asset = await storeAsset(t.db, owner.id, { kind: "upload" });
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  const getMedia = (assetId: string, variant: string, query = "", headers?: HeadersInit) =>
    media.GET(new Request(`http://localhost/api/media/${assetId}/${variant}${query}`, { headers }), {
      params: Promise.resolve({ assetId, variant }),
    });

  async function storedBytes(key: string) {
    const { getStorage } = await import("@/server/storage");
    return (await getStorage().get(key))!.body;
  }

  describe("GET /api/media/<id>/<variant>", () => {
    it("serves the owner the original, private and revalidated on each use, with safe headers", async () => {
      signInAs(owner);
      const response = await getMedia(asset.id, "original");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-disposition")).toBe(`inline; filename="reve-${asset.id}.png"`);
      expect(response.headers.get("etag")).toBe(`"${asset.sha256}"`);
      expect(response.headers.get("content-length")).toBe(String(asset.bytes));
      expect(Buffer.from(await response.arrayBuffer()).equals(await storedBytes(asset.storageKey))).toBe(
        true,
      );
    });

    it("serves the thumbnail as WebP with its own ETag", async () => {
      signInAs(owner);
      const response = await getMedia(asset.id, "thumb");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/webp");
      expect(response.headers.get("etag")).toBe(`"${asset.sha256}-thumb"`);
      expect(Buffer.from(await response.arrayBuffer()).equals(await storedBytes(asset.thumbKey!))).toBe(true);
    });

    it("offers a download as an attachment with ?download=1", async () => {
      signInAs(owner);
      const response = await getMedia(asset.id, "original", "?download=1");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="reve-${asset.id}.png"`);
    });

    it("answers 304 without a body when the ETag still matches", async () => {
      signInAs(owner);
      const first = await getMedia(asset.id, "original");
      const etag = first.headers.get("etag")!;
      await first.body?.cancel();
      const again = await getMedia(asset.id, "original", "", { "if-none-match": `W/"other", ${etag}` });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(await again.text()).toBe("");
      const changed = await getMedia(asset.id, "original", "", { "if-none-match": '"something-else"' });
      expect(changed.status).toBe(200);
      await changed.body?.cancel();
    });

    it("revalidates a cached copy for its owner only: the next user of a shared browser gets no 304", async () => {
      signInAs(owner);
      const first = await getMedia(asset.id, "thumb");
      const etag = first.headers.get("etag")!;
      await first.body?.cancel();
      // The browser asks again before it shows its cached copy, whoever is signed in now.
      expect(first.headers.get("cache-control")).toMatch(/\bno-cache\b/);
      expect(first.headers.get("cache-control")).not.toMatch(/immutable|max-age=[1-9]/);
      signOutAll();
      expect((await getMedia(asset.id, "thumb", "", { "if-none-match": etag })).status).toBe(401);
      signInAs(await makeUser(t.db));
      expect((await getMedia(asset.id, "thumb", "", { "if-none-match": etag })).status).toBe(404);
    });

    it("answers 404 to another user, as if the image did not exist", async () => {
      signInAs(await makeUser(t.db));
      for (const variant of ["original", "thumb"]) {
        const response = await getMedia(asset.id, variant);
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
      }
    });

    it("answers 401 to an anonymous request", async () => {
      signOutAll();
      const response = await getMedia(asset.id, "original");
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    });

    it("answers 404 to an unknown variant or id", async () => {
      signInAs(owner);
      expect((await getMedia(asset.id, "large")).status).toBe(404);
      expect((await getMedia("no-such-asset", "original")).status).toBe(404);
      expect((await getMedia("../../etc", "original")).status).toBe(404);
    });
  });

  describe("GET /api/media/signed/<key>", () => {
    const getSigned = (url: string) => {
      const { pathname } = new URL(url);
      const key = pathname.slice("/api/media/signed/".length).split("/").map(decodeURIComponent);
      return signed.GET(new Request(url), { params: Promise.resolve({ key }) });
    };

    it("serves the bytes to anyone holding a valid link, with caching up to its expiry", async () => {
      signOutAll();
      const { inputUrlFor } = await import("@/server/media/input-urls");
      const url = inputUrlFor(asset.storageKey);
      expect(new URL(url).pathname).toBe(`/api/media/signed/${asset.storageKey}`);
      const response = await getSigned(url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const maxAge = Number(
        /^private, max-age=(\d+)$/.exec(response.headers.get("cache-control") ?? "")?.[1],
      );
      expect(maxAge).toBeGreaterThan(3000);
      expect(maxAge).toBeLessThanOrEqual(3600 + 300);
      expect(Buffer.from(await response.arrayBuffer()).equals(await storedBytes(asset.storageKey))).toBe(
        true,
      );
    });

    it("refuses an expired link with 410", async () => {
      const { signedMediaUrl } = await import("@/server/media/signed-url");
      const longAgo = Math.floor(Date.now() / 1000) - 7200;
      const url = signedMediaUrl(
        "http://localhost",
        asset.storageKey,
        60,
        process.env.MEDIA_SIGNING_SECRET!,
        longAgo,
      );
      const response = await getSigned(url);
      expect(response.status).toBe(410);
      expect(await response.text()).toMatch(/expired/);
    });

    it("refuses an altered signature, expiry or key with 403", async () => {
      const { inputUrlFor } = await import("@/server/media/input-urls");
      const url = new URL(inputUrlFor(asset.storageKey));
      const sig = url.searchParams.get("sig")!;

      const badSig = new URL(url);
      badSig.searchParams.set("sig", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
      expect((await getSigned(badSig.toString())).status).toBe(403);

      const laterExp = new URL(url);
      laterExp.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 86_400));
      expect((await getSigned(laterExp.toString())).status).toBe(403);

      const otherAsset = await storeAsset(t.db, owner.id, { kind: "upload", color: "#00ff00" });
      const otherKey = new URL(url);
      otherKey.pathname = `/api/media/signed/${otherAsset.storageKey}`;
      const refused = await getSigned(otherKey.toString());
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/not valid/);

      const noSig = new URL(url);
      noSig.search = "";
      expect((await getSigned(noSig.toString())).status).toBe(403);
    });

    it("answers 404 to a key that does not exist, even correctly signed", async () => {
      const { inputUrlFor } = await import("@/server/media/input-urls");
      const response = await getSigned(inputUrlFor(`users/${owner.id}/missing/original.png`));
      expect(response.status).toBe(404);
    });

    it("answers 404 to a key that is not a valid storage key", async () => {
      const exp = Math.floor(Date.now() / 1000) + 600;
      for (const key of [["..", "..", "etc", "passwd"], [".tmp", "x"], ["users", "a b", "c.png"], []]) {
        const response = await signed.GET(
          new Request(`http://localhost/api/media/signed/${key.join("/")}?exp=${exp}&sig=${"A".repeat(43)}`),
          { params: Promise.resolve({ key }) },
        );
        expect(response.status).toBe(404);
      }
    });
  });
});
