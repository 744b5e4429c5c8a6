import "server-only";

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** The little the migration runner needs from a connection, on PGlite and PostgreSQL alike. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements. */
  script(sql: string): Promise<void>;
  close(): Promise<void>;
}

export function pgliteExecutor(client: PGlite, { owned = false } = {}): SqlExecutor {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async script(sql: string) {
      await client.exec(sql);
    },
    async close() {
      if (owned) await client.close();
    },
  };
}

export async function postgresExecutor(connectionString: string): Promise<SqlExecutor> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async script(sql: string) {
      await client.query(sql);
    },
    async close() {
      await client.end();
    },
  };
}

/** Opens PGlite on a folder (created if missing; PGlite does not) or on `memory://`. */
export function openPGlite(dataDir: string): PGlite {
  if (dataDir.startsWith("memory://")) return new PGlite(dataDir);
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  return new PGlite(dir);
}

export const pgliteDirFor = (dataDir: string) => join(dataDir, "pglite");
