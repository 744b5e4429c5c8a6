import { z } from "zod";

import { GENERATION_STATUSES, OPERATIONS } from "@/lib/domain";

export const GALLERY_QUERY_MAX = 200;

// A form that leaves a filter on "all" sends it empty; that means no filter, not a bad value.
const blankIsUnset = (value: unknown) => (value === "" ? undefined : value);

// Cursors are base64url of "<ISO date>|<id>", as listGenerations issues them.
function isIssuedCursor(cursor: string): boolean {
  const [iso, id, extra] = Buffer.from(cursor, "base64url").toString().split("|");
  return (
    extra === undefined && !!id && /^[A-Za-z0-9_-]{1,64}$/.test(id) && !Number.isNaN(Date.parse(iso ?? ""))
  );
}

/** GET /api/generations query: every filter optional, unknown parameters ignored. */
export const listGenerationsQuery = z.object({
  cursor: z.preprocess(
    blankIsUnset,
    z
      .string()
      .max(200, "The page cursor is not valid.")
      .regex(/^[A-Za-z0-9_-]+$/, "The page cursor is not valid.")
      .refine(isIssuedCursor, "The page cursor is not valid.")
      .optional(),
  ),
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
  q: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : value),
    z
      .string()
      .max(GALLERY_QUERY_MAX, `The search can be at most ${GALLERY_QUERY_MAX} characters.`)
      .optional(),
  ),
  favorite: z.preprocess(
    blankIsUnset,
    z
      .enum(["1", "0", "true", "false"], { error: "favorite must be 1 or 0." })
      .transform((v) => v === "1" || v === "true")
      .optional(),
  ),
  take: z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: "take must be a whole number from 1 to 100." })
      .int("take must be a whole number from 1 to 100.")
      .min(1, "take must be a whole number from 1 to 100.")
      .max(100, "take must be a whole number from 1 to 100.")
      .optional(),
  ),
});

export type ListGenerationsQuery = z.infer<typeof listGenerationsQuery>;
