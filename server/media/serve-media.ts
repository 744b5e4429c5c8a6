import "server-only";

import { AppError } from "@/server/errors";
import { getStorage } from "@/server/storage";

import type { FileSettings } from "@/lib/file-settings";

import { downloadBytes } from "./download-settings";
import { etagMatches, MEDIA_SAFETY_HEADERS } from "./media-headers";
import type { OwnedMedia } from "./owned-media";

/**
 * The answer with one stored image: the media safety headers, its ETag (a 304 without reading
 * storage while it matches), and the bytes streamed from storage, or, with `settings`, the bytes
 * with the job's settings written inside (a validator of their own).
 */
export async function serveMedia(
  request: Request,
  media: OwnedMedia,
  options: { cacheControl: string; download?: boolean; settings?: FileSettings },
): Promise<Response> {
  const { settings } = options;
  const etag = settings ? media.etag.replace(/"$/, '-settings"') : media.etag;
  const headers = new Headers({
    ...MEDIA_SAFETY_HEADERS,
    "cache-control": options.cacheControl,
    etag,
    "content-disposition": `${options.download ? "attachment" : "inline"}; filename="${media.fileName}"`,
  });
  if (etagMatches(request.headers.get("if-none-match"), etag)) {
    return new Response(null, { status: 304, headers });
  }
  const stored = await getStorage().getStream(media.key);
  if (!stored) throw new AppError("not_found", "Image not found.");
  headers.set("content-type", media.contentType);
  if (settings) {
    const bytes = await downloadBytes(stored.stream, media.contentType, settings);
    headers.set("content-length", String(bytes.byteLength));
    return new Response(bytes, { status: 200, headers });
  }
  if (stored.bytes > 0) headers.set("content-length", String(stored.bytes));
  return new Response(stored.stream, { status: 200, headers });
}
