import { randomBytes } from "node:crypto";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "@/server/db/generated/client";
import { migrate } from "@/server/db/migrate";
import { postgresExecutor } from "@/server/db/sql-executor";

// A fresh, migrated database of this run's own on a local PostgreSQL server, dropped afterwards.

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  url: string;
  name: string;
  db: PrismaClient;
  close(): Promise<void>;
}

/** The server to create scratch databases on: BENCH_DATABASE_URL, TEST_DATABASE_URL, or local. */
export function serverUrl(): string {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_SERVER_URL;
}

export async function createScratchDatabase(prefix: string, base = serverUrl()): Promise<ScratchDatabase> {
  const host = new URL(base).hostname;
  // These databases get thousands of fake rows and are dropped with FORCE: never anywhere but here.
  if (!["localhost", "127.0.0.1", "::1"].includes(host)) {
    throw new Error(`Refusing to create scratch databases on a non-local server (${host}).`);
  }
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL is not reachable at ${host} (${reason}). Start it, or set BENCH_DATABASE_URL / TEST_DATABASE_URL.`,
    );
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = await postgresExecutor(url.toString());
  try {
    await migrate(sql);
  } finally {
    await sql.close();
  }
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 10 }) });
  return {
    url: url.toString(),
    name,
    db,
    async close() {
      await db.$disconnect();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
