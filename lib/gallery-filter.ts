import { GENERATION_STATUSES, OPERATIONS, type GenerationStatus, type Operation } from "./domain";

// The gallery's filters live in the URL (?kind=&status=&q=&favorite=1) so a reload or a shared link
// shows the same view. Parsed the same way by the server page and the browser.

export interface GalleryFilter {
  kind?: Operation;
  status?: GenerationStatus;
  q?: string;
  favorite?: boolean;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function read(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === null || first === undefined || first === "" ? undefined : first;
}

export function parseGalleryFilter(params: Params): GalleryFilter {
  const kind = read(params, "kind");
  const status = read(params, "status");
  const q = read(params, "q")?.trim().slice(0, 200);
  return {
    ...(OPERATIONS.includes(kind as Operation) ? { kind: kind as Operation } : {}),
    ...(GENERATION_STATUSES.includes(status as GenerationStatus)
      ? { status: status as GenerationStatus }
      : {}),
    ...(q ? { q } : {}),
    ...(read(params, "favorite") === "1" ? { favorite: true } : {}),
  };
}

/** The query string of a filter, in a stable order; `extra` adds cursor/take for the API. */
export function galleryQuery(filter: GalleryFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set("kind", filter.kind);
  if (filter.status) params.set("status", filter.status);
  if (filter.q) params.set("q", filter.q);
  if (filter.favorite) params.set("favorite", "1");
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, value);
  return params.toString();
}

export const isFiltered = (filter: GalleryFilter) =>
  Boolean(filter.kind || filter.status || filter.q || filter.favorite);
