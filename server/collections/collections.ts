import "server-only";

import { COLLECTIONS_MAX, type CollectionSummary } from "@/lib/collections";
import { getDb } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";

// A user's collections. Every statement carries the owner: another user's collection is simply
// not found. Deleting a collection removes its membership rows, never an image.

const notFound = () => new AppError("not_found", "That collection no longer exists.");
const taken = (name: string) => new AppError("conflict", `You already have a collection named “${name}”.`);

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function listCollections(userId: string): Promise<CollectionSummary[]> {
  const rows = await getDb().collection.findMany({
    where: { userId },
    orderBy: { name: "asc" },
    take: COLLECTIONS_MAX,
    select: {
      id: true,
      name: true,
      _count: { select: { items: { where: { generation: { deletedAt: null } } } } },
    },
  });
  return rows.map((row) => ({ id: row.id, name: row.name, count: row._count.items }));
}

export async function createCollection(userId: string, name: string): Promise<CollectionSummary> {
  const db = getDb();
  if ((await db.collection.count({ where: { userId } })) >= COLLECTIONS_MAX) {
    throw new AppError("conflict", `You can have at most ${COLLECTIONS_MAX} collections. Delete one first.`);
  }
  try {
    const row = await db.collection.create({ data: { userId, name }, select: { id: true, name: true } });
    return { ...row, count: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(name);
    throw error;
  }
}

export async function renameCollection(
  userId: string,
  id: string,
  name: string,
): Promise<{ id: string; name: string }> {
  try {
    const { count } = await getDb().collection.updateMany({ where: { id, userId }, data: { name } });
    if (count === 0) throw notFound();
    return { id, name };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(name);
    throw error;
  }
}

/** Removes the collection and its membership rows; the images stay in the gallery. */
export async function deleteCollection(userId: string, id: string): Promise<null> {
  const { count } = await getDb().collection.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound();
  return null;
}

/** The collection, if it is the user's; throws not_found otherwise. */
export async function requireCollection(userId: string, id: string): Promise<{ id: string; name: string }> {
  const row = await getDb().collection.findFirst({ where: { id, userId }, select: { id: true, name: true } });
  if (!row) throw notFound();
  return row;
}
