import type { GalleryFilter } from "./gallery-filter";

// The other direction of lib/gallery-filter.ts, kept apart so that the gallery's browser code
// writes URLs without loading the schema.

/** The query string of a filter, in a stable order; `extra` adds cursor/take for the API. */
export function galleryQuery(filter: GalleryFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set("kind", filter.kind);
  if (filter.status) params.set("status", filter.status);
  if (filter.q) params.set("q", filter.q);
  if (filter.favorite) params.set("favorite", "1");
  if (filter.collection) params.set("collection", filter.collection);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, value);
  return params.toString();
}

export const isFiltered = (filter: GalleryFilter) =>
  Boolean(filter.kind || filter.status || filter.q || filter.favorite || filter.collection);

/** A filter as a server action takes it: the fields of its URL, as the gallery page reads them. */
export const wireFilter = (filter: GalleryFilter): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(galleryQuery(filter)));
