import "server-only";

import { randomUUID } from "node:crypto";

import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";

// Every movement of credits is: one ledger row claimed by its unique idempotency key, then one
// guarded UPDATE of the cached balance, in one transaction. A repeated key moves nothing; a hold
// that would overdraw moves nothing. Never read a balance and write it back.

/** The refusal every job gets when the balance cannot pay: it says where more credits come from. */
export const NOT_ENOUGH_CREDITS = "Not enough credits for this job. Get more on the Credits page.";

export type Tx = Prisma.TransactionClient | PrismaClient;
type LedgerReason = "signup_grant" | "grant" | "hold" | "refund" | "adjustment" | "purchase" | "voucher";

export interface Movement {
  userId: string;
  /** Signed: negative takes credits, positive gives them. */
  amount: number;
  reason: LedgerReason;
  idempotencyKey: string;
  generationId?: string;
  note?: string;
}

export type MovementResult = { applied: true; balance: number } | { applied: false };

/** Applies one movement inside the caller's transaction. Throws `insufficient_credits` on overdraw. */
export async function applyMovement(tx: Prisma.TransactionClient, m: Movement): Promise<MovementResult> {
  if (!Number.isSafeInteger(m.amount)) throw new Error("Credit amounts are whole numbers.");
  const entryId = randomUUID();
  const claimed = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "CreditLedgerEntry" ("id", "userId", "amount", "balanceAfter", "reason", "generationId", "idempotencyKey", "note")
    VALUES (${entryId}, ${m.userId}, ${m.amount}, 0, ${m.reason}::"LedgerReason", ${m.generationId ?? null}, ${m.idempotencyKey}, ${m.note ?? null})
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING "id"`;
  if (claimed.length === 0) return { applied: false };

  // The guard makes the hold and the check one statement: concurrent holds cannot both pass.
  const updated = await tx.$queryRaw<{ credits: number }[]>`
    UPDATE "User" SET "credits" = "credits" + ${m.amount}, "updatedAt" = now()
    WHERE "id" = ${m.userId} AND "credits" + ${m.amount} >= 0
    RETURNING "credits"`;
  const balance = updated[0]?.credits;
  if (balance === undefined) {
    throw new AppError("insufficient_credits", NOT_ENOUGH_CREDITS, { nothingCharged: true });
  }
  await tx.$executeRaw`UPDATE "CreditLedgerEntry" SET "balanceAfter" = ${balance} WHERE "id" = ${entryId}`;
  return { applied: true, balance };
}

export const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/** Runs one movement in its own transaction. */
export function move(db: PrismaClient, m: Movement): Promise<MovementResult> {
  return db.$transaction((tx) => applyMovement(tx, m), TX_OPTIONS);
}

export function grantCredits(
  db: PrismaClient,
  input: {
    userId: string;
    amount: number;
    idempotencyKey: string;
    note?: string;
    reason?: "grant" | "signup_grant";
  },
) {
  if (input.amount <= 0) throw new Error("A grant gives a positive amount.");
  return move(db, { reason: "grant", ...input });
}

export const holdKey = (generationId: string) => `hold:${generationId}`;
export const refundKey = (generationId: string) => `refund:${generationId}`;

/**
 * Holds a generation's price; call inside the transaction that creates the generation. The same
 * movement as `applyMovement`, in one statement instead of three, because it sits on every
 * submit's path: the guarded debit, then its ledger row carrying the balance it left.
 */
export async function holdForGeneration(
  tx: Prisma.TransactionClient,
  input: { userId: string; generationId: string; amount: number },
): Promise<number> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new Error("A hold takes a positive whole number of credits.");
  }
  const [result] = await tx.$queryRaw<{ debited: number; balance: number | null }[]>`
    WITH "debit" AS (
      UPDATE "User" SET "credits" = "credits" - ${input.amount}, "updatedAt" = now()
      WHERE "id" = ${input.userId} AND "credits" >= ${input.amount}
      RETURNING "credits"
    ), "entry" AS (
      INSERT INTO "CreditLedgerEntry" ("id", "userId", "amount", "balanceAfter", "reason", "generationId", "idempotencyKey")
      SELECT ${randomUUID()}, ${input.userId}, ${-input.amount}, "credits", 'hold'::"LedgerReason", ${input.generationId}, ${holdKey(input.generationId)}
      FROM "debit"
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING "balanceAfter"
    )
    SELECT (SELECT count(*)::int FROM "debit") AS "debited", (SELECT "balanceAfter" FROM "entry") AS "balance"`;
  if (!result?.debited) {
    throw new AppError("insufficient_credits", NOT_ENOUGH_CREDITS, { nothingCharged: true });
  }
  // Debited but the hold's key was taken: throwing rolls the caller's transaction back, debit too.
  if (result.balance === null) throw new AppError("conflict", "This job was already charged.");
  return result.balance;
}

/**
 * Gives back exactly what was held for a generation, at most once: the refund's key is unique, so
 * concurrent or repeated calls refund once. Returns false when there was nothing (more) to refund.
 */
export async function refundGeneration(tx: Prisma.TransactionClient, generationId: string, note?: string) {
  const hold = await tx.creditLedgerEntry.findUnique({ where: { idempotencyKey: holdKey(generationId) } });
  if (!hold || hold.amount === 0) return false;
  const result = await applyMovement(tx, {
    userId: hold.userId,
    amount: -hold.amount,
    reason: "refund",
    idempotencyKey: refundKey(generationId),
    generationId,
    note,
  });
  return result.applied;
}

export async function getBalance(db: Tx, userId: string): Promise<number> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { credits: true } });
  return user?.credits ?? 0;
}

export async function listLedger(db: Tx, userId: string, options: { cursor?: string; take?: number } = {}) {
  const take = Math.min(options.take ?? 50, 200);
  const rows = await db.creditLedgerEntry.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      amount: true,
      balanceAfter: true,
      reason: true,
      generationId: true,
      note: true,
      createdAt: true,
    },
  });
  const hasMore = rows.length > take;
  const items = hasMore ? rows.slice(0, take) : rows;
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
}

/**
 * Takes back up to `upTo` credits, never below zero: the balance row is locked first, so the amount
 * taken and the guarded debit agree. Returns what was taken; the rest is the caller's shortfall.
 */
export async function takeBackUpTo(
  tx: Prisma.TransactionClient,
  input: { userId: string; upTo: number; idempotencyKey: string; note: string },
): Promise<number> {
  const [row] = await tx.$queryRaw<{ credits: number }[]>`
    SELECT "credits" FROM "User" WHERE "id" = ${input.userId} FOR UPDATE`;
  const amount = Math.min(row?.credits ?? 0, input.upTo);
  if (amount <= 0) return 0;
  const result = await applyMovement(tx, {
    userId: input.userId,
    amount: -amount,
    reason: "adjustment",
    idempotencyKey: input.idempotencyKey,
    note: input.note,
  });
  return result.applied ? amount : 0;
}
