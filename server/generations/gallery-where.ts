import "server-only";

import type { GalleryFilter } from "@/lib/gallery-filter";
import type { Prisma } from "@/server/db/generated/client";

/** The rows a gallery filter shows: the user's own, not deleted, matching every field set. */
export function galleryWhere(userId: string, filter: GalleryFilter = {}): Prisma.GenerationWhereInput {
  return {
    userId,
    deletedAt: null,
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.favorite ? { favorite: true } : {}),
    ...(filter.collection
      ? { collectionItems: { some: { collectionId: filter.collection, collection: { userId } } } }
      : {}),
    ...(filter.q ? { prompt: { contains: likeLiteral(filter.q), mode: "insensitive" } } : {}),
  };
}

// Prisma's `contains` becomes ILIKE '%…%' with the text as is: a search for "50%" or "a_b" must
// match those characters, not use them as wildcards.
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
