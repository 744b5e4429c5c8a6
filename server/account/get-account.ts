import "server-only";

import type { AccountDto } from "@/lib/dto";
import { listLedger } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";

export async function getAccount(userId: string): Promise<AccountDto> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, credits: true },
  });
  if (!user) throw new AppError("unauthorized", "Your account no longer exists. Sign in again.");
  return user;
}

/** The user's latest credit movements, newest first, for the account page. */
export async function getRecentLedger(userId: string, take = 100) {
  return (await listLedger(getDb(), userId, { take })).items;
}
