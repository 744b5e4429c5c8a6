import "server-only";

import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";

/** Marks or unmarks one of the user's own generations as a favorite. */
export async function setFavoriteForUser(
  userId: string,
  id: string,
  favorite: boolean,
): Promise<{ favorite: boolean }> {
  const { count } = await getDb().generation.updateMany({
    where: { id, userId, deletedAt: null },
    data: { favorite },
  });
  if (count === 0) throw new AppError("not_found", "That generation no longer exists.");
  return { favorite };
}
