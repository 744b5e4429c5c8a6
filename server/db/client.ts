import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { env } from "@/server/env";

import { PrismaClient } from "./generated/client";
import { rememberListenSource } from "./listen";
import { openPGlite, pgliteDirFor } from "./sql-executor";

export type Db = PrismaClient;

export interface DbOptions {
  /** postgres:// URL; without it the database is PGlite in-process. */
  databaseUrl?: string;
  /** PGlite data folder or `memory://`. */
  pgliteDir?: string;
}

export function createPrismaClient(options: DbOptions): PrismaClient {
  if (options.databaseUrl) {
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: options.databaseUrl }) });
    rememberListenSource(client, { databaseUrl: options.databaseUrl });
    return client;
  }
  const pglite = openPGlite(options.pgliteDir ?? "memory://");
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  rememberListenSource(client, { pglite });
  return client;
}

// One client per process: PGlite admits a single opener of its folder, and Next may evaluate this
// module more than once, so the client is kept on globalThis. It is created on first use: importing
// this module opens nothing (and `next build`, which loads it to collect page data, never touches
// the data folder). Code reads it with `getDb()` at each use, never at import, so that `setDb` takes
// effect everywhere.
const globalForDb = globalThis as unknown as { reveStudioDb?: PrismaClient };

/** The process's database client. */
export function getDb(): PrismaClient {
  return (globalForDb.reveStudioDb ??= createPrismaClient({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR ?? pgliteDirFor(env.DATA_DIR),
  }));
}

/** Installs the client `getDb()` returns from now on (tests, scripts); `undefined` goes back to env's. */
export function setDb(client: PrismaClient | undefined): void {
  globalForDb.reveStudioDb = client;
}
