import "./zod-csp";

import { z } from "zod";

import { bulkTargetSchema } from "./bulk";
import { ID_PATTERN } from "./ids";

export const COLLECTION_NAME_MAX = 60;
/** Enough for anyone sorting their images; a bound so a list of them stays one query. */
export const COLLECTIONS_MAX = 200;

export const collectionNameSchema = z
  .string({ error: "Give the collection a name." })
  .trim()
  .min(1, "Give the collection a name.")
  .max(COLLECTION_NAME_MAX, `A collection's name can be at most ${COLLECTION_NAME_MAX} characters.`);

const collectionId = z
  .string({ error: "That collection no longer exists." })
  .regex(ID_PATTERN, "That collection no longer exists.");

export const createCollectionSchema = z.object({ name: collectionNameSchema });
export const renameCollectionSchema = z.object({ id: collectionId, name: collectionNameSchema });
export const collectionRefSchema = z.object({ id: collectionId });
export const collectionItemsSchema = z.object({ id: collectionId, target: bulkTargetSchema });

export interface CollectionSummary {
  id: string;
  name: string;
  /** Live images in it. */
  count: number;
}
