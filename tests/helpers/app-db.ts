import { setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";

import type { DbKind, TestDb } from "./test-db";
import { createTestDb } from "./test-db";

/** A fresh database installed as the app's client (`setDb`): route handlers and actions use it. */
export async function installAppDb(kind: DbKind): Promise<TestDb> {
  const t = await createTestDb(kind);
  setDb(t.db);
  return t;
}

export async function makeUser(
  db: PrismaClient,
  credits = 50,
  email = `${crypto.randomUUID()}@example.test`,
) {
  const user = await db.user.create({ data: { email, credits: 0 } });
  if (credits > 0) {
    const { grantCredits } = await import("@/server/credits/ledger");
    await grantCredits(db, { userId: user.id, amount: credits, idempotencyKey: `test-grant:${user.id}` });
  }
  return user;
}
