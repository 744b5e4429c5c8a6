import { PrismaPGlite } from "pglite-prisma-adapter";

import { grantCredits } from "@/server/credits/ledger";
import { PrismaClient } from "@/server/db/generated/client";
import { migrate } from "@/server/db/migrate";
import { openPGlite, pgliteDirFor, pgliteExecutor } from "@/server/db/sql-executor";

export interface SeedUser {
  email: string;
  password: string;
  credits: number;
}

/** Accounts as sign-up leaves them: an argon2 hash and a granted balance with its ledger row. */
export async function seedUsers(db: PrismaClient, users: SeedUser[]): Promise<string[]> {
  const { hashPassword } = await import("@/server/auth/password");
  const ids: string[] = [];
  for (const user of users) {
    const row = await db.user.create({
      data: { email: user.email, passwordHash: await hashPassword(user.password), credits: 0 },
    });
    if (user.credits > 0) {
      await grantCredits(db, {
        userId: row.id,
        amount: user.credits,
        idempotencyKey: `stress-grant:${row.id}`,
      });
    }
    ids.push(row.id);
  }
  return ids;
}

/**
 * The embedded database a server started with DATA_DIR=`dataDir` opens, migrated and seeded. PGlite
 * admits one opener, so this closes it before the server starts.
 */
export async function preparePglite(dataDir: string, users: SeedUser[]): Promise<string[]> {
  const client = openPGlite(pgliteDirFor(dataDir));
  const sql = pgliteExecutor(client);
  await migrate(sql);
  const db = new PrismaClient({ adapter: new PrismaPGlite(client) });
  try {
    return await seedUsers(db, users);
  } finally {
    await db.$disconnect();
    await client.close();
  }
}
