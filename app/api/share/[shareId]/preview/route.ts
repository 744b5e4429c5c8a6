// GET /api/share/<shareId>/preview – the 1200×630 link preview (Open Graph, Twitter card) of a live share.
import { clientIpOf } from "@/server/auth/sign-in-limit";
import { AppError } from "@/server/errors";
import { publicRoute } from "@/server/http";
import { etagMatches, MEDIA_SAFETY_HEADERS } from "@/server/media/media-headers";
import { checkShareRate } from "@/server/shares/share-limit";
import { getSharePreview } from "@/server/shares/share-preview";

export const GET = publicRoute<{ shareId: string }>(async (request, { params: { shareId } }) => {
  await checkShareRate(clientIpOf(request.headers));
  const preview = await getSharePreview(shareId);
  if (!preview) throw new AppError("not_found", "Image not found.");
  const headers = new Headers({
    ...MEDIA_SAFETY_HEADERS,
    // Link-preview crawlers and caches may keep it, but ask again before each use: a revoked link's
    // preview is gone at once.
    "cache-control": "public, no-cache",
    etag: preview.etag,
    "content-disposition": 'inline; filename="preview.jpg"',
  });
  if (etagMatches(request.headers.get("if-none-match"), preview.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-type", "image/jpeg");
  headers.set("content-length", String(preview.body.length));
  return new Response(new Uint8Array(preview.body), { status: 200, headers });
});
