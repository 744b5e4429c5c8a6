import "server-only";

import type { Prisma } from "@/server/db/generated/client";
import { forgetSessionVersion } from "@/server/auth/session-version";
import { TX_OPTIONS } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";

import { writeAudit } from "./audit";
import { AdminCommandError } from "./errors";

// The account commands an operator runs from the CLI or /admin: each change and its audit row
// commit in one transaction, with the row locked so the "before" it records is the real one.

const accountFields = {
  id: true,
  email: true,
  role: true,
  suspendedAt: true,
  suspendReason: true,
  sessionVersion: true,
} as const;

async function lockedAccount(tx: Prisma.TransactionClient, email: string) {
  const [row] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "User" WHERE "email" = ${email} FOR UPDATE`;
  if (!row) throw new AdminCommandError(`No account has the email ${email}.`);
  return tx.user.findUniqueOrThrow({ where: { id: row.id }, select: accountFields });
}

export async function setRole(operator: string, email: string, role: "user" | "admin", reason?: string) {
  return getDb().$transaction(async (tx) => {
    const before = await lockedAccount(tx, email);
    await tx.user.update({ where: { id: before.id }, data: { role } });
    await writeAudit(tx, {
      actor: operator,
      action: role === "admin" ? "promote" : "demote",
      targetUserId: before.id,
      before: { role: before.role },
      after: { role },
      reason,
    });
    return { email, role };
  }, TX_OPTIONS);
}

export async function suspendAccount(operator: string, email: string, reason: string) {
  return getDb().$transaction(async (tx) => {
    const before = await lockedAccount(tx, email);
    const suspendedAt = before.suspendedAt ?? new Date();
    await tx.user.update({ where: { id: before.id }, data: { suspendedAt, suspendReason: reason } });
    await writeAudit(tx, {
      actor: operator,
      action: "suspend",
      targetUserId: before.id,
      before: suspension(before),
      after: { suspendedAt: suspendedAt.toISOString(), suspendReason: reason },
      reason,
    });
    return { email, suspended: true, reason };
  }, TX_OPTIONS);
}

export async function unsuspendAccount(operator: string, email: string, reason?: string) {
  return getDb().$transaction(async (tx) => {
    const before = await lockedAccount(tx, email);
    await tx.user.update({ where: { id: before.id }, data: { suspendedAt: null, suspendReason: null } });
    await writeAudit(tx, {
      actor: operator,
      action: "unsuspend",
      targetUserId: before.id,
      before: suspension(before),
      after: { suspendedAt: null, suspendReason: null },
      reason,
    });
    return { email, suspended: false };
  }, TX_OPTIONS);
}

/** Ends every session of the account on every device (its session version goes up). */
export async function signOutEverywhere(operator: string, email: string, reason?: string) {
  const result = await getDb().$transaction(async (tx) => {
    const before = await lockedAccount(tx, email);
    const { sessionVersion } = await tx.user.update({
      where: { id: before.id },
      data: { sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    await writeAudit(tx, {
      actor: operator,
      action: "sign_out",
      targetUserId: before.id,
      before: { sessionVersion: before.sessionVersion },
      after: { sessionVersion },
      reason,
    });
    return { id: before.id, email, signedOut: true };
  }, TX_OPTIONS);
  forgetSessionVersion(result.id);
  return { email: result.email, signedOut: true };
}

const suspension = (row: { suspendedAt: Date | null; suspendReason: string | null }) => ({
  suspendedAt: row.suspendedAt?.toISOString() ?? null,
  suspendReason: row.suspendReason,
});
