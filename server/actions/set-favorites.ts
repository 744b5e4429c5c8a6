"use server";

import "server-only";

import { z } from "zod";

import { bulkTargetSchema } from "@/lib/bulk";
import { authedAction } from "@/server/action";
import { setFavoriteMany } from "@/server/generations/bulk-favorite";

const input = z.object({
  target: bulkTargetSchema,
  favorite: z.boolean({ error: "Say whether to mark or unmark: favorite must be true or false." }),
});

/** Marks or unmarks the selected generations (or all the filter matches) as favorites. */
export const setFavorites = authedAction(input, async ({ target, favorite }, user) =>
  setFavoriteMany(user.id, target, favorite),
);
