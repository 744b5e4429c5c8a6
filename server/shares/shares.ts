import "server-only";

import { randomBytes } from "node:crypto";

import {
  type CreateShare,
  SHARE_ID_BYTES,
  SHARES_MAX,
  type ShareSummary,
  type ShareTarget,
} from "@/lib/shares";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";

// The owner's side of share links. Every statement carries the owner: another user's image,
// collection or link is simply not found. Revoking deletes the row, so a revoked link answers
// exactly like one that never existed.

const DAY_MS = 24 * 60 * 60 * 1000;
const LABEL_MAX = 80;

const notFound = (target: ShareTarget) =>
  new AppError(
    "not_found",
    target.kind === "collection" ? "That collection no longer exists." : "That image no longer exists.",
  );

/** A fresh public id: 144 random bits, base64url. */
export const newShareId = () => randomBytes(SHARE_ID_BYTES).toString("base64url");

/** Links that still answer: not expired (revoked ones no longer exist). */
export const liveShareWhere = (now: Date) => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

async function requireTarget(userId: string, target: ShareTarget): Promise<void> {
  const db = getDb();
  const found =
    target.kind === "collection"
      ? await db.collection.count({ where: { id: target.id, userId } })
      : await db.generation.count({
          where: { id: target.id, userId, deletedAt: null, status: "succeeded" },
        });
  if (found === 0) throw notFound(target);
}

export async function createShare(
  userId: string,
  input: CreateShare,
  now: Date = new Date(),
): Promise<ShareSummary> {
  await requireTarget(userId, input.target);
  const db = getDb();
  if ((await db.shareLink.count({ where: { userId, ...liveShareWhere(now) } })) >= SHARES_MAX) {
    throw new AppError("conflict", `You can have at most ${SHARES_MAX} live links. Revoke one first.`);
  }
  const row = await db.shareLink.create({
    data: {
      id: newShareId(),
      userId,
      generationId: input.target.kind === "generation" ? input.target.id : null,
      collectionId: input.target.kind === "collection" ? input.target.id : null,
      showPrompt: input.showPrompt,
      allowIndexing: input.allowIndexing,
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
    },
    select: summarySelect,
  });
  return toSummary(row);
}

/** Deletes one of the user's links; from then on it answers 404. */
export async function revokeShare(userId: string, id: string): Promise<null> {
  const { count } = await getDb().shareLink.deleteMany({ where: { id, userId } });
  if (count === 0) throw new AppError("not_found", "That link no longer exists.");
  return null;
}

/** The user's live links, newest first; only those of one image or collection when `target` is given. */
export async function listShares(
  userId: string,
  target?: ShareTarget,
  now: Date = new Date(),
): Promise<ShareSummary[]> {
  const rows = await getDb().shareLink.findMany({
    where: {
      userId,
      ...liveShareWhere(now),
      ...(target?.kind === "generation" ? { generationId: target.id } : {}),
      ...(target?.kind === "collection" ? { collectionId: target.id } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: SHARES_MAX,
    select: summarySelect,
  });
  return rows.map(toSummary);
}

const summarySelect = {
  id: true,
  generationId: true,
  collectionId: true,
  showPrompt: true,
  allowIndexing: true,
  expiresAt: true,
  createdAt: true,
  generation: { select: { prompt: true } },
  collection: { select: { name: true } },
} as const;

interface SummaryRow {
  id: string;
  generationId: string | null;
  collectionId: string | null;
  showPrompt: boolean;
  allowIndexing: boolean;
  expiresAt: Date | null;
  createdAt: Date;
  generation: { prompt: string } | null;
  collection: { name: string } | null;
}

function toSummary(row: SummaryRow): ShareSummary {
  const prompt = row.generation?.prompt ?? "";
  return {
    id: row.id,
    kind: row.collectionId ? "collection" : "generation",
    targetId: (row.collectionId ?? row.generationId)!,
    label: row.collection
      ? row.collection.name
      : prompt.length > LABEL_MAX
        ? `${prompt.slice(0, LABEL_MAX - 1)}…`
        : prompt,
    showPrompt: row.showPrompt,
    allowIndexing: row.allowIndexing,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
