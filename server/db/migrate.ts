import "server-only";

import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

import type { SqlExecutor } from "./sql-executor";

// Applies prisma/migrations/*/migration.sql in order, once each, and books them in
// `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same SHA-256 checksum),
// so production can switch to Prisma's own command on the same folder at any time.

export const MIGRATIONS_DIR = join(process.cwd(), "prisma", "migrations");

// Prisma Migrate's own advisory lock key: our runner and `prisma migrate deploy` exclude each other.
const ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export const migrationChecksum = (sql: string) => createHash("sha256").update(sql, "utf8").digest("hex");

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    }),
  );
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function migrate(db: SqlExecutor, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  await db.query(`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})`);
  try {
    await db.script(CREATE_MIGRATIONS_TABLE);
    const rows = await db.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const done = new Map(
      rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]),
    );
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier and was not rolled back. ` +
          "Fix the database by hand, then mark it rolled back in _prisma_migrations.",
      );
    }

    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          console.warn(`Migration ${migration.name} was modified after it was applied.`);
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await apply(db, migration);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await db.query(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY})`);
  }
}

async function apply(db: SqlExecutor, migration: MigrationFile) {
  const id = randomUUID();
  await db.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    // PostgreSQL runs DDL inside transactions, so a failing script leaves nothing half-applied.
    await db.script(`BEGIN;\n${migration.sql}\nCOMMIT;`);
  } catch (error) {
    await db.script("ROLLBACK;").catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    await db.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
    throw new Error(`Migration ${migration.name} failed: ${message}`, { cause: error });
  }
  await db.query(
    `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
}
