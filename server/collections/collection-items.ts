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

/** Adds the user's own selected images to one of the user's collections; already there is fine. */
export async function addToCollection(
  userId: string,
  collectionId: string,
  target: ParsedBulkTarget,
): Promise<CollectionItemsResult> {
  await requireCollection(userId, collectionId);
  const { ids, ignored } = await resolveTargets(userId, target);
  let changed = 0;
  for (const batch of batches(ids, BATCH)) {
    const { count } = await getDb().collectionItem.createMany({
      data: batch.map((generationId) => ({ collectionId, generationId })),
      skipDuplicates: true,
    });
    changed += count;
  }
  return { changed, ignored };
}

/** Takes images out of one of the user's collections; the images themselves stay. */
export async function removeFromCollection(
  userId: string,
  collectionId: string,
  target: ParsedBulkTarget,
): Promise<CollectionItemsResult> {
  await requireCollection(userId, collectionId);
  const { ids, ignored } = await resolveTargets(userId, target);
  let changed = 0;
  for (const batch of batches(ids, BATCH)) {
    const { count } = await getDb().collectionItem.deleteMany({
      where: { collectionId, generationId: { in: batch }, collection: { userId } },
    });
    changed += count;
  }
  return { changed, ignored };
}
