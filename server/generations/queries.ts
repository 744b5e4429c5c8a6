import "server-only";

import { ACTIVE_STATUSES } from "@/lib/domain";
import type { GenerationDto, GenerationPage } from "@/lib/dto";
import { decodeCursor, encodeCursor, type GalleryQuery } from "@/lib/gallery-filter";
import { getDb } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";

import { galleryWhere } from "./gallery-where";
import { generationSelect, toGenerationDto, type GenerationRow } from "./dto";

// Reads of a user's own generations. Every query carries the owner in its `where`: another
// user's id simply is not found.

export async function getGeneration(userId: string, id: string): Promise<GenerationDto | null> {
  const row = await getDb().generation.findFirst({
    where: { id, userId, deletedAt: null },
    select: generationSelect,
  });
  return row ? toGenerationDto(row) : null;
}

/** Newest first, keyset-paginated on (createdAt, id) so page 50 costs what page 1 costs. */
export async function listGenerations(userId: string, filter: GalleryQuery = {}): Promise<GenerationPage> {
  const take = Math.min(Math.max(filter.take ?? 24, 1), 100);
  const where: Prisma.GenerationWhereInput = galleryWhere(userId, filter);
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;
  if (cursor) {
    // After (createdAt, id) in newest-first order: createdAt < c, or createdAt = c and id < c.id.
    // Written as a bound PostgreSQL seeks the (userId, createdAt) index with, minus the few rows
    // that tie with the cursor. The same condition as an OR makes the planner guess a handful of
    // rows, and for the last pages it joins every remaining row's relations before sorting.
    where.createdAt = { lte: cursor.createdAt };
    where.NOT = { createdAt: cursor.createdAt, id: { gte: cursor.id } };
  }
  const rows = await getDb().generation.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: generationSelect,
  });
  const page = rows.slice(0, take);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toGenerationDto(row)),
    nextCursor: rows.length > take && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** The chain a generation belongs to, from its first ancestor down to it (edit → edit → remix). */
export async function getChain(userId: string, id: string, maxDepth = 20): Promise<GenerationDto[]> {
  const chain: GenerationDto[] = [];
  let next: string | null = id;
  while (next && chain.length < maxDepth) {
    const row: GenerationRow | null = await getDb().generation.findFirst({
      where: { id: next, userId },
      select: generationSelect,
    });
    if (!row) break;
    chain.unshift(toGenerationDto(row));
    next = row.parentId;
  }
  return chain;
}

/** The user's running jobs, and those that ended after `endedAfter` (for the active-jobs route). */
export async function listActiveGenerations(
  userId: string,
  endedAfter: Date | null,
): Promise<{ running: GenerationDto[]; ended: GenerationDto[] }> {
  const [running, ended] = await Promise.all([
    getDb().generation.findMany({
      where: { userId, deletedAt: null, status: { in: [...ACTIVE_STATUSES] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: ACTIVE_TAKE,
      select: generationSelect,
    }),
    endedAfter
      ? getDb().generation.findMany({
          where: { userId, deletedAt: null, completedAt: { gt: endedAfter } },
          orderBy: [{ completedAt: "desc" }, { id: "desc" }],
          take: ACTIVE_TAKE,
          select: generationSelect,
        })
      : [],
  ]);
  return { running: running.map((r) => toGenerationDto(r)), ended: ended.map((r) => toGenerationDto(r)) };
}

const ACTIVE_TAKE = 100;
