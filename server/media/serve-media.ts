import "server-only";

import { AppError } from "@/server/errors";
import { getStorage } from "@/server/storage";

import { etagMatches, MEDIA_SAFETY_HEADERS } from "./media-headers";
import type { OwnedMedia } from "./owned-media";

/**
 * The answer with one stored image: the media safety headers, its ETag (a 304 without reading
 * storage while it matches), and the bytes streamed from storage.
 */
export async function serveMedia(
  request: Request,
  media: OwnedMedia,
  options: { cacheControl: string; download?: boolean },
): Promise<Response> {
  const headers = new Headers({
    ...MEDIA_SAFETY_HEADERS,
    "cache-control": options.cacheControl,
    etag: media.etag,
    "content-disposition": `${options.download ? "attachment" : "inline"}; filename="${media.fileName}"`,
  });
  if (etagMatches(request.headers.get("if-none-match"), media.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const stored = await getStorage().getStream(media.key);
  if (!stored) throw new AppError("not_found", "Image not found.");
  headers.set("content-type", media.contentType);
  if (stored.bytes > 0) headers.set("content-length", String(stored.bytes));
  return new Response(stored.stream, { status: 200, headers });
}
