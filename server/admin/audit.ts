import "server-only";

import type { Prisma } from "@/server/db/generated/client";
import type { Tx } from "@/server/credits/ledger";

/** What an operator did; one AuditLog row each. */
export type AuditAction =
  | "grant"
  | "revoke"
  | "promote"
  | "demote"
  | "suspend"
  | "unsuspend"
  | "sign_out"
  | "voucher_create"
  | "job_refund"
  | "job_poll"
  | "job_fail"
  | "reseller_enable"
  | "reseller_disable"
  | "reseller_priority";

export interface AuditEntry {
  /** An admin's user id, or "cli:<name>". */
  actor: string;
  action: AuditAction;
  targetUserId?: string | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  reason?: string | null;
}

/**
 * Appends one row to the audit log, in the caller's transaction so the row and the change it
 * records commit together. The table refuses updates and deletes (a trigger).
 */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      targetUserId: entry.targetUserId ?? null,
      before: entry.before,
      after: entry.after,
      reason: entry.reason ?? null,
    },
  });
}

/** The newest audit rows, for one user or for the whole studio. Admins only. */
export function listAudit(db: Tx, options: { targetUserId?: string; take?: number } = {}) {
  return db.auditLog.findMany({
    where: options.targetUserId ? { targetUserId: options.targetUserId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.take ?? 50, 200),
  });
}
