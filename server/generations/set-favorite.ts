import "server-only";

import { db } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";

/** Marks or unmarks one of the user's own generations as a favorite. */
export async function setFavoriteForUser(
  userId: string,
  id: string,
  favorite: boolean,
  client: PrismaClient = db,
): Promise<{ favorite: boolean }> {
  const { count } = await client.generation.updateMany({
    where: { id, userId, deletedAt: null },
    data: { favorite },
  });
  if (count === 0) throw new AppError("not_found", "That generation no longer exists.");
  return { favorite };
}
