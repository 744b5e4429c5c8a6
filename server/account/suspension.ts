import "server-only";

import { AppError } from "@/server/errors";
import type { PrismaClient } from "@/server/db/generated/client";

/** What a suspended user reads on every refused submit (the UI adds "Nothing was charged."). */
export const suspendedMessage = (reason: string | null) =>
  `Your account is suspended${reason ? `: ${reason.replace(/\.?$/, ".")}` : "."} ` +
  "You can still see and download your images. Contact the studio's operator to lift it.";

/** The user's suspension, or null when they may submit. */
export async function getSuspension(db: PrismaClient, userId: string) {
  const row = await db.user.findUnique({
    where: { id: userId },
    select: { suspendedAt: true, suspendReason: true },
  });
  return row?.suspendedAt ? { since: row.suspendedAt, reason: row.suspendReason } : null;
}

/** Refuses a submit from a suspended account before anything is held: `forbidden`, nothing charged. */
export async function assertMaySubmit(db: PrismaClient, userId: string): Promise<void> {
  const suspension = await getSuspension(db, userId);
  if (suspension) {
    throw new AppError("forbidden", suspendedMessage(suspension.reason), { nothingCharged: true });
  }
}
