import "server-only";

import { cache } from "react";

import { isShareId, type PublicShare, SHARED_COLLECTION_MAX, sharedMediaPath } from "@/lib/shares";
import { isId } from "@/lib/ids";
import { getDb } from "@/server/db/client";
import { MEDIA_ASSET_SELECT, mediaOf, type MediaVariant, type OwnedMedia } from "@/server/media/owned-media";

import { liveShareWhere } from "./shares";

// The public side of share links: what anyone holding the link may see, and nothing else. A
// missing, revoked (deleted) or expired link is null, the same in every case; only the shared
// image, or the live images of the shared collection, are ever reachable through it.

interface ShareRow {
  id: string;
  userId: string;
  generationId: string | null;
  collectionId: string | null;
  showPrompt: boolean;
  allowIndexing: boolean;
}

async function findLiveShare(id: string, now: Date): Promise<ShareRow | null> {
  if (!isShareId(id)) return null;
  return getDb().shareLink.findFirst({
    where: { id, ...liveShareWhere(now) },
    select: {
      id: true,
      userId: true,
      generationId: true,
      collectionId: true,
      showPrompt: true,
      allowIndexing: true,
    },
  });
}

/** The shared generations' where: the owner's, live, finished, and the one image or the collection's. */
function sharedGenerationsWhere(share: ShareRow) {
  return {
    userId: share.userId,
    deletedAt: null,
    status: "succeeded" as const,
    ...(share.generationId
      ? { id: share.generationId }
      : { collectionItems: { some: { collectionId: share.collectionId! } } }),
  };
}

/** What the public page shows, or null when the link does not answer. */
export const getPublicShare = cache(
  async (id: string, now: Date = new Date()): Promise<PublicShare | null> => {
    const share = await findLiveShare(id, now);
    if (!share) return null;
    const db = getDb();
    const [collection, generations] = await Promise.all([
      share.collectionId
        ? db.collection.findFirst({
            where: { id: share.collectionId, userId: share.userId },
            select: { name: true },
          })
        : null,
      db.generation.findMany({
        where: sharedGenerationsWhere(share),
        orderBy: { createdAt: "desc" },
        take: share.generationId ? 1 : SHARED_COLLECTION_MAX,
        select: {
          prompt: true,
          outputs: {
            orderBy: { createdAt: "asc" },
            take: 1,
            select: { id: true, width: true, height: true, thumbhash: true },
          },
        },
      }),
    ]);
    // A shared image that is gone (deleted, or a failed job) leaves nothing to show: the link is gone too.
    if (share.generationId && generations.length === 0) return null;
    return {
      id: share.id,
      kind: share.collectionId ? "collection" : "generation",
      title: collection?.name ?? null,
      allowIndexing: share.allowIndexing,
      images: generations.flatMap((g) =>
        g.outputs.map((asset) => ({
          assetId: asset.id,
          url: sharedMediaPath(share.id, asset.id, "original"),
          thumbUrl: sharedMediaPath(share.id, asset.id, "thumb"),
          width: asset.width,
          height: asset.height,
          thumbhash: asset.thumbhash,
          prompt: share.showPrompt ? g.prompt : null,
        })),
      ),
    };
  },
);

/**
 * Where one image of a live share is stored: only the output of the shared image, or of a live
 * image in the shared collection. Anything else (another asset of the owner, an upload, an image
 * taken out of the collection) is null.
 */
export async function findSharedMedia(
  shareId: string,
  assetId: string,
  variant: MediaVariant,
  now: Date = new Date(),
): Promise<OwnedMedia | null> {
  if (!isId(assetId)) return null;
  const share = await findLiveShare(shareId, now);
  if (!share) return null;
  const asset = await getDb().asset.findFirst({
    where: { id: assetId, userId: share.userId, kind: "output", generation: sharedGenerationsWhere(share) },
    select: MEDIA_ASSET_SELECT,
  });
  return asset ? mediaOf(asset, variant) : null;
}
