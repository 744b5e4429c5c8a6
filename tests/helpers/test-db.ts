import { randomBytes } from "node:crypto";

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";

import { PrismaClient } from "@/server/db/generated/client";
import { closeListeners, rememberListenSource } from "@/server/db/listen";
import { migrate } from "@/server/db/migrate";
import type { SqlExecutor } from "@/server/db/sql-executor";
import { openPGlite, pgliteExecutor, postgresExecutor } from "@/server/db/sql-executor";

export type DbKind = "pglite" | "postgres";

export interface TestDb {
  kind: DbKind;
  db: PrismaClient;
  sql: SqlExecutor;
  /** For PostgreSQL, the URL of this test's own database. */
  url?: string;
  close(): Promise<void>;
}

/** The database kinds to run against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** A fresh, migrated database: PGlite in memory, or a new database on TEST_DATABASE_URL's server. */
export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === "pglite") {
    const client = openPGlite("memory://");
    const sql = pgliteExecutor(client, { owned: true });
    await migrate(sql);
    const db = new PrismaClient({ adapter: new PrismaPGlite(client) });
    rememberListenSource(db, { pglite: client });
    return {
      kind,
      db,
      sql,
      close: async () => {
        await closeListeners(db);
        await db.$disconnect();
        await sql.close();
      },
    };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `reve_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const sql = await postgresExecutor(url.toString());
  await migrate(sql);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 20 }) });
  rememberListenSource(db, { databaseUrl: url.toString() });
  return {
    kind,
    db,
    sql,
    url: url.toString(),
    close: async () => {
      await closeListeners(db);
      await db.$disconnect();
      await sql.close();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** The invariant every credit test ends on: each user's ledger sums to their balance, none negative. */
export async function assertLedgerConserved(db: PrismaClient) {
  const rows = await db.$queryRaw<{ id: string; credits: number; ledger: bigint | null }[]>`
    SELECT u."id", u."credits", (SELECT SUM(l."amount") FROM "CreditLedgerEntry" l WHERE l."userId" = u."id") AS ledger
    FROM "User" u`;
  const broken = rows.filter((r) => r.credits < 0 || Number(r.ledger ?? 0) !== r.credits);
  if (broken.length > 0) {
    throw new Error(
      `Ledger does not match balance for ${broken.length} user(s): ${JSON.stringify(broken, (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`,
    );
  }
  return rows.length;
}
