"use server";

import "server-only";

import { collectionRefSchema } from "@/lib/collections";
import { authedAction } from "@/server/action";
import { deleteCollection } from "@/server/collections/collections";

/** Deletes one of the user's collections; its images stay in the gallery. */
export const deleteCollectionAction = authedAction(collectionRefSchema, async ({ id }, user) =>
  deleteCollection(user.id, id),
);
