"use server";

import "server-only";

import { createCollectionSchema } from "@/lib/collections";
import { authedAction } from "@/server/action";
import { createCollection } from "@/server/collections/collections";

/** Creates a collection for the user. */
export const createCollectionAction = authedAction(createCollectionSchema, async ({ name }, user) =>
  createCollection(user.id, name),
);
