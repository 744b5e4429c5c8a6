import "server-only";

import type { ParsedBulkTarget } from "@/lib/bulk";
import { getDb } from "@/server/db/client";
import { batches, resolveTargets } from "@/server/generations/bulk-targets";

import { requireCollection } from "./collections";

const BATCH = 500;

export interface CollectionItemsResult {
  changed: number;
  /** Ids that are not the user's or no longer exist: counted, never added. */
  ignored: number;
}

/** Resolves the user's own images of `target` and applies `change` to them batch by batch. */
async function changeItems(
  userId: string,
  collectionId: string,
  target: ParsedBulkTarget,
  change: (batch: string[]) => Promise<{ count: number }>,
): Promise<CollectionItemsResult> {
  await requireCollection(userId, collectionId);
  const { ids, ignored } = await resolveTargets(userId, target);
  let changed = 0;
  for (const batch of batches(ids, BATCH)) changed += (await change(batch)).count;
  return { changed, ignored };
}

/** Adds the user's own selected images to one of the user's collections; already there is fine. */
export const addToCollection = (userId: string, collectionId: string, target: ParsedBulkTarget) =>
  changeItems(userId, collectionId, target, (batch) =>
    getDb().collectionItem.createMany({
      data: batch.map((generationId) => ({ collectionId, generationId })),
      skipDuplicates: true,
    }),
  );

/** Takes images out of one of the user's collections; the images themselves stay. */
export const removeFromCollection = (userId: string, collectionId: string, target: ParsedBulkTarget) =>
  changeItems(userId, collectionId, target, (batch) =>
    getDb().collectionItem.deleteMany({
      where: { collectionId, generationId: { in: batch }, collection: { userId } },
    }),
  );
