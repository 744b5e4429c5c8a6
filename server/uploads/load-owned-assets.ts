import "server-only";

import type { AssetDto } from "@/lib/dto";
import { getDb } from "@/server/db/client";
import { toAssetDto } from "@/server/generations/dto";

/** The user's own images among `ids`, in the order asked; anyone else's are simply not found. */
export async function loadOwnedAssets(userId: string, ids: string[]): Promise<AssetDto[]> {
  if (ids.length === 0) return [];
  const rows = await getDb().asset.findMany({ where: { id: { in: ids }, userId } });
  return ids.flatMap((id) => {
    const row = rows.find((r) => r.id === id);
    return row ? [toAssetDto(row)] : [];
  });
}
