import "server-only";

import type { AccountDto } from "@/lib/dto";
import { suspendedMessage } from "@/server/account/suspension";
import { listLedger } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";

/** The account, or null when it no longer exists (a database error is thrown, never read as null). */
export async function findAccount(userId: string): Promise<AccountDto | null> {
  const row = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, credits: true, suspendedAt: true, suspendReason: true },
  });
  if (!row) return null;
  const { suspendedAt, suspendReason, ...account } = row;
  return { ...account, suspended: suspendedAt ? suspendedMessage(suspendReason) : null };
}

/** Whether the account signs in with a password (OAuth-only accounts have none to change). */
export async function hasPassword(userId: string): Promise<boolean> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return Boolean(user?.passwordHash);
}

export async function getAccount(userId: string): Promise<AccountDto> {
  const user = await findAccount(userId);
  if (!user) throw new AppError("unauthorized", "Your account no longer exists. Sign in again.");
  return user;
}

/** The user's latest credit movements, newest first, for the account page. */
export async function getRecentLedger(userId: string, take = 100) {
  return (await listLedger(getDb(), userId, { take })).items;
}
