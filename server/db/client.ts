import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { env } from "@/server/env";

import { PrismaClient } from "./generated/client";
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
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: options.databaseUrl }) });
  }
  const pglite = openPGlite(options.pgliteDir ?? "memory://");
  return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
}

// One client per process: PGlite allows a single opener of its folder, and Next may evaluate this
// module more than once.
const globalForDb = globalThis as unknown as { reveStudioDb?: PrismaClient };

// `next build` loads this module to collect page data; it must not open (and lock) the real folder.
const building = process.env.NEXT_PHASE === "phase-production-build";

export const db: PrismaClient = (globalForDb.reveStudioDb ??= createPrismaClient({
  databaseUrl: building ? undefined : env.DATABASE_URL,
  pgliteDir: building ? "memory://" : (env.PGLITE_DIR ?? pgliteDirFor(env.DATA_DIR)),
}));
