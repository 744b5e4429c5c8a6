import type { PrismaClient } from "@/server/db/generated/client";

import type { DbKind, TestDb } from "./test-db";
import { createTestDb } from "./test-db";

/**
 * A fresh database installed as the app's process-wide client (server/db/client.ts keeps it on
 * globalThis), so route handlers and actions imported afterwards use it. Import app modules with
 * `await import(...)` after calling this, or in files whose static imports do not touch `db` at load.
 */
export async function installAppDb(kind: DbKind): Promise<TestDb> {
  const t = await createTestDb(kind);
  (globalThis as unknown as { reveStudioDb?: PrismaClient }).reveStudioDb = t.db;
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
