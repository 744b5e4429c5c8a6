import { thumbHashToDataURL } from "thumbhash";

// ThumbHash placeholders are decoded once per hash: a gallery re-renders the same tiles often, and
// a scroll back up meets the same ones again. The oldest leaves first when the cache is full.
const cache = new Map<string, string>();
const CACHE_MAX = 500;

/** A data: URL of the blurred preview for a base64 ThumbHash, or undefined if there is none. */
export function thumbhashDataUrl(hash: string | null | undefined): string | undefined {
  if (!hash) return undefined;
  const hit = cache.get(hash);
  if (hit) return hit;
  try {
    const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
    const url = thumbHashToDataURL(bytes);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(hash, url);
    return url;
  } catch {
    return undefined;
  }
}
