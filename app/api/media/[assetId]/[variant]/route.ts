// GET /api/media/<assetId>/<original|thumb> – one of the signed-in user's images (?download=1 to save it).
import { AppError } from "@/server/errors";
import { withUser } from "@/server/http";
import { settingsForDownload } from "@/server/media/download-settings";
import { findOwnedMedia, isMediaVariant } from "@/server/media/owned-media";
import { serveMedia } from "@/server/media/serve-media";

export const GET = withUser<{ assetId: string; variant: string }>(
  async (request, { user, params: { assetId, variant } }) => {
    const media = isMediaVariant(variant) ? await findOwnedMedia(user.id, assetId, variant) : null;
    if (!media) throw new AppError("not_found", "Image not found.");
    const download = new URL(request.url).searchParams.get("download") === "1";
    return serveMedia(request, media, {
      // The browser keeps the bytes but asks before each use (a cheap 304 while the ETag matches),
      // so after sign-out a shared browser shows no one this user's images from its cache.
      cacheControl: "private, no-cache",
      download,
      // A saved original carries its job's settings inside, unless the account turned that off.
      settings: download && variant === "original" ? await settingsForDownload(user.id, media) : undefined,
    });
  },
);
