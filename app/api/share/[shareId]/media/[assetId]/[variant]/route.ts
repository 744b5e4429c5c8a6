// GET /api/share/<shareId>/media/<assetId>/<original|thumb> – an image of a live share link, to anyone.
import { clientIpOf } from "@/server/auth/sign-in-limit";
import { AppError } from "@/server/errors";
import { publicRoute } from "@/server/http";
import { isMediaVariant } from "@/server/media/owned-media";
import { serveMedia } from "@/server/media/serve-media";
import { findSharedMedia } from "@/server/shares/public-share";
import { checkShareRate } from "@/server/shares/share-limit";

export const GET = publicRoute<{ shareId: string; assetId: string; variant: string }>(
  async (request, { params: { shareId, assetId, variant } }) => {
    await checkShareRate(clientIpOf(request.headers));
    const media = isMediaVariant(variant) ? await findSharedMedia(shareId, assetId, variant) : null;
    if (!media) throw new AppError("not_found", "Image not found.");
    // Asked again before each use, so a revoked or expired link stops showing at once.
    return serveMedia(request, media, { cacheControl: "private, no-cache" });
  },
);
