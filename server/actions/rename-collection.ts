"use server";

import "server-only";

import { renameCollectionSchema } from "@/lib/collections";
import { authedAction } from "@/server/action";
import { renameCollection } from "@/server/collections/collections";

/** Renames one of the user's collections. */
export const renameCollectionAction = authedAction(renameCollectionSchema, async ({ id, name }, user) =>
  renameCollection(user.id, id, name),
);
