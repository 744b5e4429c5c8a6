import "server-only";

import type { Metadata } from "next";

import { type PublicShare, sharePath, sharePreviewPath } from "@/lib/shares";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { requestIp } from "@/server/request-ip";

import { getPublicShare } from "./public-share";
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from "./share-preview";
import { checkShareRate } from "./share-limit";

const DESCRIPTION_MAX = 200;

export type SharePageView = { state: "shown"; share: PublicShare } | { state: "limited"; message: string };

/** What /s/<id> shows, after spending one of the address's requests; null answers 404. */
export async function viewShare(id: string): Promise<SharePageView | null> {
  try {
    await checkShareRate(await requestIp());
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited")
      return { state: "limited", message: error.message };
    throw error;
  }
  const share = await getPublicShare(id);
  return share ? { state: "shown", share } : null;
}

export const shareTitle = (share: PublicShare) =>
  share.kind === "collection" ? (share.title ?? "A shared collection") : "A shared image";

/**
 * The page's link-preview and robots tags: Open Graph and a large Twitter card with the 1200×630
 * preview, and noindex unless the owner allowed indexing. A link that does not answer says nothing.
 */
export async function shareMetadata(id: string): Promise<Metadata> {
  const share = await getPublicShare(id);
  if (!share) return { title: "Not found", robots: { index: false, follow: false } };
  const title = shareTitle(share);
  const prompt = share.kind === "generation" ? share.images[0]?.prompt : null;
  const description = prompt
    ? prompt.length > DESCRIPTION_MAX
      ? `${prompt.slice(0, DESCRIPTION_MAX - 1)}…`
      : prompt
    : share.kind === "collection"
      ? `${share.images.length} ${share.images.length === 1 ? "image" : "images"} made with Reve Studio.`
      : "An image made with Reve Studio.";
  const url = new URL(sharePath(share.id), env.APP_URL).href;
  const image = {
    url: new URL(sharePreviewPath(share.id), env.APP_URL).href,
    width: PREVIEW_WIDTH,
    height: PREVIEW_HEIGHT,
    alt: title,
    type: "image/jpeg",
  };
  return {
    title,
    description,
    robots: share.allowIndexing ? { index: true, follow: false } : { index: false, follow: false },
    openGraph: { type: "website", siteName: "Reve Studio", url, title, description, images: [image] },
    twitter: { card: "summary_large_image", title, description, images: [image] },
  };
}
