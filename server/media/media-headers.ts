import "server-only";

/** On every media answer: the bytes are an image, never a page or a script, whatever a client guesses. */
export const MEDIA_SAFETY_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
} as const;

/** Whether an If-None-Match header (a list, `*`, weak or strong tags) names `etag`. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}
