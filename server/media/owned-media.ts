import "server-only";

import { isId } from "@/lib/ids";
import { getDb } from "@/server/db/client";

export const MEDIA_VARIANTS = ["original", "thumb"] as const;
export type MediaVariant = (typeof MEDIA_VARIANTS)[number];

export const isMediaVariant = (value: string): value is MediaVariant =>
  (MEDIA_VARIANTS as readonly string[]).includes(value);

export interface OwnedMedia {
  assetId: string;
  key: string;
  contentType: string;
  /** Quoted strong validator: the content hash, per variant. */
  etag: string;
  fileName: string;
  /** The generation that produced it; null for an upload. */
  generationId: string | null;
}

/** Where one of the user's own images is stored, or null when it is not theirs or does not exist. */
export async function findOwnedMedia(
  userId: string,
  assetId: string,
  variant: MediaVariant,
): Promise<OwnedMedia | null> {
  if (!isId(assetId)) return null;
  const asset = await getDb().asset.findFirst({
    where: { id: assetId, userId },
    select: MEDIA_ASSET_SELECT,
  });
  return asset ? mediaOf(asset, variant) : null;
}

/** The stored columns an answer about one image needs. */
export const MEDIA_ASSET_SELECT = {
  id: true,
  storageKey: true,
  thumbKey: true,
  mime: true,
  sha256: true,
  generationId: true,
} as const;

/** Where a variant of an asset is stored, with its type, validator and download name. */
export function mediaOf(
  asset: {
    id: string;
    storageKey: string;
    thumbKey: string | null;
    mime: string;
    sha256: string | null;
    generationId: string | null;
  },
  variant: MediaVariant,
): OwnedMedia {
  // Assets without a thumbnail serve the original for both, as their DTO's thumbUrl promises.
  const thumbKey = variant === "thumb" ? asset.thumbKey : null;
  const key = thumbKey ?? asset.storageKey;
  const ext = key.slice(key.lastIndexOf(".") + 1);
  return {
    assetId: asset.id,
    key,
    contentType: thumbKey ? "image/webp" : asset.mime,
    etag: `"${asset.sha256 ?? asset.id}${thumbKey ? "-thumb" : ""}"`,
    fileName: `reve-${asset.id}.${ext}`,
    generationId: asset.generationId,
  };
}
