import "server-only";

import { listLedger } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";

import { listAudit } from "./audit";

const summary = {
  id: true,
  email: true,
  credits: true,
  role: true,
  suspendedAt: true,
  createdAt: true,
} as const;

/** Accounts whose id is `query`, or whose email contains it (case-insensitive), newest first. */
export async function searchUsers(query: string, take = 50) {
  const q = query.trim();
  if (!q) return getDb().user.findMany({ select: summary, orderBy: { createdAt: "desc" }, take });
  return getDb().user.findMany({
    where: { OR: [{ id: q }, { email: { contains: q.toLowerCase(), mode: "insensitive" } }] },
    select: summary,
    orderBy: { createdAt: "desc" },
    take,
  });
}

/** One account as an operator sees it: balance, sign-up, suspension, ledger, jobs and audit rows. */
export async function getUserForAdmin(id: string) {
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id },
    select: { ...summary, signupIp: true, suspendReason: true, emailVerified: true },
  });
  if (!user) return null;
  const [ledger, jobs, audit] = await Promise.all([
    listLedger(db, id, { take: 50 }),
    db.generation.findMany({
      where: { userId: id },
      select: {
        id: true,
        kind: true,
        status: true,
        provider: true,
        errorCode: true,
        cost: true,
        createdAt: true,
        deletedAt: true,
      },
      orderBy: { createdAt: "desc" },
      take: 50,
    }),
    listAudit(db, { targetUserId: id, take: 50 }),
  ]);
  return { user, ledger: ledger.items, jobs, audit };
}
