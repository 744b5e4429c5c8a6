import "./zod-csp";

import { z } from "zod";

import { galleryFilterSchema } from "./gallery-filter";
import { ID_PATTERN } from "./ids";

// What a bulk action in the gallery acts on: the tiles the user ticked, or everything the current
// filter matches ("select all matching"), which the server resolves itself.

/** The most ids one request may name; a larger selection goes as "all matching". */
export const BULK_IDS_MAX = 500;
/** The most images "all matching" acts on in one request. */
export const BULK_ALL_MAX = 10_000;

const BAD_ID = "The selection holds an id that is not valid.";

export const bulkTargetSchema = z
  .object({
    ids: z
      .array(z.string({ error: BAD_ID }).regex(ID_PATTERN, BAD_ID), {
        error: "The selection must be a list of ids.",
      })
      .min(1, "Select at least one image.")
      .max(BULK_IDS_MAX, `Select at most ${BULK_IDS_MAX} images one by one, or use "Select all matching".`)
      .optional(),
    all: z.literal(true, { error: "Send all as true to act on everything the filter matches." }).optional(),
    filter: galleryFilterSchema.optional(),
  })
  .refine((t) => (t.ids === undefined) !== (t.all === undefined), {
    error: "Say which images: a list of ids, or all that match a filter.",
    path: ["ids"],
  });

export type BulkTarget = z.input<typeof bulkTargetSchema>;
export type ParsedBulkTarget = z.output<typeof bulkTargetSchema>;

export interface BulkDeleteResult {
  deleted: number;
  /** Images of deleted generations kept because another job uses them. */
  kept: number;
  /** Generations still running, left alone. */
  running: number;
  /** Ids that are not the user's, or no longer exist: never acted on. */
  ignored: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Deleted 120 images; 3 kept because other images use them." */
export function bulkDeleteMessage(r: BulkDeleteResult): string {
  const parts = [`Deleted ${plural(r.deleted, "image", "images")}`];
  if (r.kept > 0) parts.push(`${r.kept} kept because other images use ${r.kept === 1 ? "it" : "them"}`);
  if (r.running > 0) parts.push(`${plural(r.running, "job", "jobs")} still running, left alone`);
  if (r.ignored > 0) parts.push(`${plural(r.ignored, "item", "items")} not found`);
  return `${parts.join("; ")}.`;
}

export interface BulkFavoriteResult {
  changed: number;
  ignored: number;
}
