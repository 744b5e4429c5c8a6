// GET /api/media/<assetId>/<original|thumb> – one of the signed-in user's images (?download=1 to save it).
import { AppError } from "@/server/errors";
import { withUser } from "@/server/http";
import { downloadBytes, settingsForDownload } from "@/server/media/download-settings";
import { etagMatches, MEDIA_SAFETY_HEADERS } from "@/server/media/media-headers";
import { findOwnedMedia, isMediaVariant } from "@/server/media/owned-media";
import { getStorage } from "@/server/storage";

const notFound = () => new AppError("not_found", "Image not found.");

export const GET = withUser<{ assetId: string; variant: string }>(
  async (request, { user, params: { assetId, variant } }) => {
    const media = isMediaVariant(variant) ? await findOwnedMedia(user.id, assetId, variant) : null;
    if (!media) throw notFound();

    const download = new URL(request.url).searchParams.get("download") === "1";
    // A saved original carries its job's settings inside, unless the account turned that off.
    const settings =
      download && variant === "original" ? await settingsForDownload(user.id, media) : undefined;
    const etag = settings ? media.etag.replace(/"$/, '-settings"') : media.etag;
    const headers = new Headers({
      ...MEDIA_SAFETY_HEADERS,
      // The browser keeps the bytes but asks before each use (a cheap 304 while the ETag matches),
      // so after sign-out a shared browser shows no one this user's images from its cache.
      "cache-control": "private, no-cache",
      etag,
      "content-disposition": `${download ? "attachment" : "inline"}; filename="${media.fileName}"`,
    });
    if (etagMatches(request.headers.get("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers });
    }

    const stored = await getStorage().getStream(media.key);
    if (!stored) throw notFound();
    headers.set("content-type", media.contentType);
    if (settings) {
      const bytes = await downloadBytes(stored.stream, media.contentType, settings);
      headers.set("content-length", String(bytes.byteLength));
      return new Response(bytes, { status: 200, headers });
    }
    if (stored.bytes > 0) headers.set("content-length", String(stored.bytes));
    return new Response(stored.stream, { status: 200, headers });
  },
);
