"use server";

import "server-only";

import { collectionItemsSchema } from "@/lib/collections";
import { authedAction } from "@/server/action";
import { removeFromCollection } from "@/server/collections/collection-items";

/** Takes the selected images out of one of the user's collections. */
export const removeFromCollectionAction = authedAction(collectionItemsSchema, async ({ id, target }, user) =>
  removeFromCollection(user.id, id, target),
);
