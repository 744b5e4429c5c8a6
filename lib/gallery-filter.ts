import "./zod-csp";

import { z } from "zod";

import { GALLERY_QUERY_MAX, GENERATION_STATUSES, OPERATIONS } from "./domain";
import { ID_PATTERN, isId } from "./ids";

// The gallery's filters, one schema for every side: the URL of the gallery page
// (?kind=&status=&q=&favorite=1&collection=, so a reload or a shared link shows the same view), the query of
// GET /api/generations (plus cursor and take), and the filter listGenerations reads.

// A form that leaves a filter on "all" sends it empty; that means no filter, not a bad value.
const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

const filterFields = {
  kind: z.preprocess(
    blankIsUnset,
    z.enum(OPERATIONS, { error: `kind must be one of ${OPERATIONS.join(", ")}.` }).optional(),
  ),
  status: z.preprocess(
    blankIsUnset,
    z
      .enum(GENERATION_STATUSES, { error: `status must be one of ${GENERATION_STATUSES.join(", ")}.` })
      .optional(),
  ),
  /** Searched for as written: % and _ are characters, not wildcards. */
  q: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : value),
    z
      .string()
      .max(GALLERY_QUERY_MAX, `The search can be at most ${GALLERY_QUERY_MAX} characters.`)
      .optional(),
  ),
  /** A collection of the user's: the gallery shows only the images in it. */
  collection: z.preprocess(
    blankIsUnset,
    z
      .string({ error: "collection must be a collection's id." })
      .regex(ID_PATTERN, "collection must be a collection's id.")
      .optional(),
  ),
  favorite: z.preprocess(
    blankIsUnset,
    z
      .enum(["1", "0", "true", "false"], { error: "favorite must be 1 or 0." })
      .transform((v) => v === "1" || v === "true")
      .optional(),
  ),
};

// A page cursor is base64url of "<ISO date>|<id>": the last row of the page before.

/** The cursor that continues after this row, newest first. */
export const encodeCursor = (createdAt: Date, id: string): string =>
  btoa(`${createdAt.toISOString()}|${id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The row a cursor continues after, or null when it is not one listGenerations issued. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const [iso, id, extra] = text.split("|");
  const createdAt = new Date(iso ?? "");
  if (extra !== undefined || !id || !isId(id) || Number.isNaN(createdAt.getTime())) return null;
  return { createdAt, id };
}

const TAKE_MESSAGE = "take must be a whole number from 1 to 100.";

/** The gallery's filter: every field optional. */
export const galleryFilterSchema = z.object(filterFields);

/** GET /api/generations: the filter and a page (cursor, take); unknown parameters ignored. */
export const galleryQuerySchema = galleryFilterSchema.extend({
  cursor: z.preprocess(
    blankIsUnset,
    z
      .string()
      .max(200, "The page cursor is not valid.")
      .regex(/^[A-Za-z0-9_-]+$/, "The page cursor is not valid.")
      .refine((c) => decodeCursor(c) !== null, "The page cursor is not valid.")
      .optional(),
  ),
  take: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: TAKE_MESSAGE })
      .int(TAKE_MESSAGE)
      .min(1, TAKE_MESSAGE)
      .max(100, TAKE_MESSAGE)
      .optional(),
  ),
});

export type GalleryFilter = z.output<typeof galleryFilterSchema>;
export type GalleryQuery = z.output<typeof galleryQuerySchema>;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

/**
 * The filter of a gallery URL, forgiving: a value the schema refuses is left out (the page shows
 * everything rather than an error) and a search too long is cut to the longest allowed.
 */
export function parseGalleryFilter(params: Params): GalleryFilter {
  const filter: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(filterFields)) {
    const raw = first(params, name);
    const parsed = schema.safeParse(name === "q" ? raw?.trim().slice(0, GALLERY_QUERY_MAX) : raw);
    // favorite=0 asks for no filter, as an absent favorite does.
    if (parsed.success && parsed.data !== undefined && parsed.data !== false) filter[name] = parsed.data;
  }
  return filter as GalleryFilter;
}

function first(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}
