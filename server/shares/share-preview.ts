import "server-only";

import { createHash } from "node:crypto";

import sharp from "sharp";

import { getDb } from "@/server/db/client";
import { withSlot } from "@/server/media/process-image";
import { getStorage } from "@/server/storage";

import { getPublicShare } from "./public-share";

// The 1200×630 picture that link previews (Open Graph, Twitter cards) show for a share: the image
// on a blurred copy of itself, or the first three images of a collection side by side. Made once per
// content and kept in memory, so a crawler's visits cost a lookup, not a decode.

export const PREVIEW_WIDTH = 1200;
export const PREVIEW_HEIGHT = 630;
const TILES_MAX = 3;
const BACKGROUND = { r: 15, g: 15, b: 16, alpha: 1 };
const CACHE_MAX = 64;

export interface SharePreview {
  body: Buffer;
  /** Quoted strong validator: the share and the hashes of the images drawn. */
  etag: string;
}

const cache = new Map<string, Buffer>();
let renders = 0;

/** How many previews this process has drawn (the cache's misses), for tests and operators. */
export const previewRenders = () => renders;

/** The preview of a live share, or null when the link does not answer. */
export async function getSharePreview(shareId: string): Promise<SharePreview | null> {
  const share = await getPublicShare(shareId);
  if (!share) return null;
  const assetIds = share.images.slice(0, share.kind === "generation" ? 1 : TILES_MAX).map((i) => i.assetId);
  const assets = await getDb().asset.findMany({
    where: { id: { in: assetIds } },
    select: { id: true, storageKey: true, sha256: true },
  });
  const ordered = assetIds.flatMap((id) => assets.filter((a) => a.id === id));
  const etag = `"${createHash("sha256")
    .update([share.id, ...ordered.map((a) => a.sha256 ?? a.id)].join("/"))
    .digest("base64url")}"`;

  const cached = cache.get(etag);
  if (cached) {
    // Least recently used goes first: a hit moves to the end.
    cache.delete(etag);
    cache.set(etag, cached);
    return { body: cached, etag };
  }
  const storage = getStorage();
  const images = (await Promise.all(ordered.map((a) => storage.get(a.storageKey))))
    .filter((stored) => stored !== null)
    .map((stored) => stored.body);
  const body = await withSlot(() => draw(images));
  renders++;
  cache.set(etag, body);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return { body, etag };
}

async function draw(images: Buffer[]): Promise<Buffer> {
  const canvas = sharp({
    create: { width: PREVIEW_WIDTH, height: PREVIEW_HEIGHT, channels: 4, background: BACKGROUND },
  });
  if (images.length === 0) return canvas.jpeg({ quality: 82 }).toBuffer();
  if (images.length === 1) {
    const [image] = images as [Buffer];
    const [backdrop, front] = await Promise.all([
      sharp(image)
        .resize(PREVIEW_WIDTH, PREVIEW_HEIGHT, { fit: "cover" })
        .blur(40)
        .modulate({ brightness: 0.6 })
        .toBuffer(),
      sharp(image).resize(PREVIEW_WIDTH, PREVIEW_HEIGHT, { fit: "inside" }).toBuffer(),
    ]);
    return canvas
      .composite([{ input: backdrop }, { input: front, gravity: "center" }])
      .jpeg({ quality: 82 })
      .toBuffer();
  }
  const width = Math.floor(PREVIEW_WIDTH / images.length);
  const tiles = await Promise.all(
    images.map((image) => sharp(image).resize(width, PREVIEW_HEIGHT, { fit: "cover" }).toBuffer()),
  );
  return canvas
    .composite(tiles.map((input, index) => ({ input, left: index * width, top: 0 })))
    .jpeg({ quality: 82 })
    .toBuffer();
}
