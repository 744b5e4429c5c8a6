import "server-only";

import { BULK_ALL_MAX, type ParsedBulkTarget } from "@/lib/bulk";
import { getDb } from "@/server/db/client";

import { galleryWhere } from "./gallery-where";

export interface ResolvedTargets {
  /** The user's own live generations the target names, newest first for "all matching". */
  ids: string[];
  /** Named ids that are not the user's or no longer exist: counted, never acted on. */
  ignored: number;
}

/**
 * The user's own generations a bulk action acts on. A list of ids keeps only those the user owns;
 * "all matching" runs the gallery's filter here, so it covers what the browser never loaded.
 */
export async function resolveTargets(userId: string, target: ParsedBulkTarget): Promise<ResolvedTargets> {
  const db = getDb();
  if (target.ids) {
    const named = [...new Set(target.ids)];
    const owned = await db.generation.findMany({
      where: { id: { in: named }, userId, deletedAt: null },
      select: { id: true },
    });
    const ownedIds = new Set(owned.map((row) => row.id));
    return { ids: named.filter((id) => ownedIds.has(id)), ignored: named.length - ownedIds.size };
  }
  const rows = await db.generation.findMany({
    where: galleryWhere(userId, target.filter ?? {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: BULK_ALL_MAX,
    select: { id: true },
  });
  return { ids: rows.map((row) => row.id), ignored: 0 };
}

/** How many generations "all matching" would act on (capped at what one request acts on). */
export async function countMatching(userId: string, target: ParsedBulkTarget): Promise<number> {
  const count = await getDb().generation.count({ where: galleryWhere(userId, target.filter ?? {}) });
  return Math.min(count, BULK_ALL_MAX);
}

/** Splits work into batches of `size`, so no statement or transaction grows with the selection. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
