"use server";

import "server-only";

import { collectionItemsSchema } from "@/lib/collections";
import { authedAction } from "@/server/action";
import { addToCollection } from "@/server/collections/collection-items";

/** Adds the selected images (or all a filter matches) to one of the user's collections. */
export const addToCollectionAction = authedAction(collectionItemsSchema, async ({ id, target }, user) =>
  addToCollection(user.id, id, target),
);
