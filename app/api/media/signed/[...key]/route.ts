// GET /api/media/signed/<key>?exp=…&sig=… – a stored image for a reseller, without a session.
import { env } from "@/server/env";
import { publicRoute } from "@/server/http";
import { MEDIA_SAFETY_HEADERS } from "@/server/media/media-headers";
import { verifyMediaSignature } from "@/server/media/signed-url";
import { getStorage, isValidStorageKey } from "@/server/storage";

// Plain text: the caller is a reseller's fetcher, and a short status line is what shows in its logs.
function refuse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: {
      ...MEDIA_SAFETY_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}

// The signature is the only key: no session, and the same answer for everyone.
export const GET = publicRoute<{ key: string[] }>(
  async (request, { params: { key: segments } }) => {
    // Valid keys only hold characters that URL encoding leaves alone, so encoded or not they read the same.
    const key = segments.join("/");
    if (!isValidStorageKey(key)) return refuse(404, "Not found.");

    const url = new URL(request.url);
    const exp = url.searchParams.get("exp");
    const check = verifyMediaSignature(key, exp, url.searchParams.get("sig"), env.MEDIA_SIGNING_SECRET);
    if (check === "invalid") return refuse(403, "This link is not valid.");
    if (check === "expired") return refuse(410, "This link has expired.");

    const stored = await getStorage().getStream(key);
    if (!stored) return refuse(404, "Not found.");
    const secondsLeft = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
    const headers = new Headers({
      ...MEDIA_SAFETY_HEADERS,
      "content-type": stored.contentType,
      "cache-control": `private, max-age=${secondsLeft}`,
    });
    if (stored.bytes > 0) headers.set("content-length", String(stored.bytes));
    return new Response(stored.stream, { status: 200, headers });
  },
  { onError: () => refuse(500, "Could not read the image.") },
);
