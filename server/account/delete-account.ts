import "server-only";

import { TERMINAL_STATUSES } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";
import { logUnexpected } from "@/server/log";
import { getStorage, type MediaStorage } from "@/server/storage";
import { userPrefix } from "@/server/storage/keys";

/** What an account without an email (OAuth only) types to confirm. */
export const DELETE_CONFIRMATION_WORD = "delete";

const BATCH = 500;
const MAX_ROUNDS = 3;

export interface DeleteAccountOptions {
  storage?: MediaStorage;
}

/**
 * Deletes the user and everything they own. Files go first, batch by batch with their Asset rows,
 * so a failure never leaves images behind without a record pointing at them; the User row goes
 * last, and its cascade removes generations, ledger, sessions and OAuth accounts.
 */
export async function deleteAccountData(
  userId: string,
  confirmation: string,
  options: DeleteAccountOptions = {},
): Promise<void> {
  const client = getDb();
  const storage = options.storage ?? getStorage();

  const user = await client.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new AppError("not_found", "This account no longer exists.");
  const expected = (user.email ?? DELETE_CONFIRMATION_WORD).trim().toLowerCase();
  if (confirmation.trim().toLowerCase() !== expected) {
    throw new AppError(
      "invalid_input",
      user.email
        ? "Type your account's email address exactly to confirm."
        : `Type “${DELETE_CONFIRMATION_WORD}” to confirm.`,
    );
  }
  const running = await client.generation.count({
    where: { userId, status: { notIn: [...TERMINAL_STATUSES] } },
  });
  if (running > 0) {
    throw new AppError(
      "conflict",
      running === 1
        ? "A job is still running. Wait until it finishes, then delete your account."
        : `${running} jobs are still running. Wait until they finish, then delete your account.`,
    );
  }

  for (let round = 1; ; round++) {
    await deleteAllAssets(client, storage, userId);
    const deleted = await client.$transaction(async (tx) => {
      // Holding the user row makes an upload that is committing right now wait, or land before us.
      await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
      if ((await tx.asset.count({ where: { userId } })) > 0) return false;
      await tx.user.delete({ where: { id: userId } });
      return true;
    });
    if (deleted) {
      // Whatever has no row left (an upload cut off between its file and its row, an earlier
      // failed delete) goes with the folder; should this fail, the orphan sweep removes it later.
      await storage.deletePrefix(userPrefix(userId)).catch((error: unknown) => {
        logUnexpected(error, "removing a deleted account's storage folder");
      });
      return;
    }
    if (round >= MAX_ROUNDS) {
      throw new AppError("conflict", "New images are still arriving. Try again in a moment.");
    }
  }
}

async function deleteAllAssets(client: PrismaClient, storage: MediaStorage, userId: string): Promise<void> {
  for (;;) {
    const batch = await client.asset.findMany({
      where: { userId },
      select: { id: true, storageKey: true, thumbKey: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (batch.length === 0) return;
    await storage.delete(batch.flatMap((a) => (a.thumbKey ? [a.storageKey, a.thumbKey] : [a.storageKey])));
    await client.asset.deleteMany({ where: { id: { in: batch.map((a) => a.id) }, userId } });
  }
}
