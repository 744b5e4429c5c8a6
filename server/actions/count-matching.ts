"use server";

import "server-only";

import { galleryFilterSchema } from "@/lib/gallery-filter";
import { authedAction } from "@/server/action";
import { countMatching } from "@/server/generations/bulk-targets";

/** How many of the user's images a gallery filter matches: what "Select all matching" selects. */
export const countMatchingGenerations = authedAction(galleryFilterSchema, async (filter, user) =>
  countMatching(user.id, { all: true, filter }),
);
