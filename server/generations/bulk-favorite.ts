import "server-only";

import type { BulkFavoriteResult, ParsedBulkTarget } from "@/lib/bulk";
import { getDb } from "@/server/db/client";

import { batches, resolveTargets } from "./bulk-targets";

const BATCH = 200;

/** Marks or unmarks many of the user's own generations; another user's ids are counted, not touched. */
export async function setFavoriteMany(
  userId: string,
  target: ParsedBulkTarget,
  favorite: boolean,
): Promise<BulkFavoriteResult> {
  const { ids, ignored } = await resolveTargets(userId, target);
  let changed = 0;
  for (const batch of batches(ids, BATCH)) {
    const { count } = await getDb().generation.updateMany({
      where: { id: { in: batch }, userId, deletedAt: null },
      data: { favorite },
    });
    changed += count;
  }
  return { changed, ignored: ignored + (ids.length - changed) };
}
