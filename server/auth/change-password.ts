import "server-only";

import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";

import { hashPassword, verifyPassword } from "./password";
import { forgetSessionVersion } from "./session-version";

const WRONG_CURRENT = "Your current password is not right.";

/**
 * Replaces the user's password after checking the current one, and bumps their session version in
 * the same statement, so every session issued before ends. Returns the new version.
 */
export async function changePassword(userId: string, current: string, next: string): Promise<number> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new AppError("unauthorized", "Your account no longer exists. Sign in again.");
  if (!user.passwordHash) {
    throw new AppError("invalid_input", "This account signs in with GitHub or Google and has no password.");
  }
  if (!(await verifyPassword(user.passwordHash, current))) {
    throw new AppError("invalid_input", WRONG_CURRENT, { fieldErrors: { currentPassword: WRONG_CURRENT } });
  }
  const { sessionVersion } = await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(next), sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  forgetSessionVersion(userId);
  return sessionVersion;
}
