import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { PrismaPGlite } from "pglite-prisma-adapter";

import { PrismaClient } from "@/server/db/generated/client";
import { migrate } from "@/server/db/migrate";
import { openPGlite, pgliteDirFor, pgliteExecutor } from "@/server/db/sql-executor";

import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { startNextInstance, type NextInstance } from "./next-instance";
import { BENCH_AUTH_SECRET, BENCH_MEDIA_SECRET } from "./stack";
import { createUsers, type BenchUser } from "./studio-client";

// The studio as `npm start` runs it with no configuration: PGlite in the server's own process under
// a data folder of its own, media on local disk, every reseller served by the emulator. The bench
// opens the folder itself only while the server is down (PGlite admits one opener): before the
// start, to migrate and add users, and after the stop, to read what the server wrote.

export interface EmbeddedStack {
  emulator: EmulatorProcess;
  studio: NextInstance;
  dataDir: string;
  users: BenchUser[];
  /** Stops the studio, then reads its database. */
  stopAndRead<T>(read: (db: PrismaClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Users made before the start, each with this many credits. */
  users: { count: number; credits: number };
  /** App variables; the embedded default needs none, a bench may lift limits. */
  env?: Record<string, string>;
  emulatorEnv?: Record<string, string>;
}

async function withPGlite<T>(
  dataDir: string,
  work: (db: PrismaClient, pglite: ReturnType<typeof openPGlite>) => Promise<T>,
) {
  const pglite = openPGlite(pgliteDirFor(dataDir));
  const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  try {
    return await work(db, pglite);
  } finally {
    await db.$disconnect();
    await pglite.close();
  }
}

export async function startEmbeddedStack(name: string, options: EmbeddedOptions): Promise<EmbeddedStack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), `reve-bench-${name}-`));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const users = await withPGlite(dataDir, async (db, pglite) => {
      await migrate(pgliteExecutor(pglite));
      return createUsers(db, options.users.count, options.users.credits, name);
    });
    const emulator = await startEmulatorProcess(options.emulatorEnv);
    cleanups.push(() => emulator.stop());
    const studio = await startNextInstance({
      label: name,
      env: {
        DATA_DIR: dataDir,
        // `npm start` generates these into the data folder; a bench gives its own.
        AUTH_SECRET: BENCH_AUTH_SECRET,
        MEDIA_SIGNING_SECRET: BENCH_MEDIA_SECRET,
        EMULATOR_PORT: String(emulator.port),
        LOG_LEVEL: "warn",
        ...options.env,
      },
    });
    let stopped = false;
    const stopStudio = async () => {
      if (stopped) return;
      stopped = true;
      await studio.stop();
    };
    cleanups.push(stopStudio);
    return {
      emulator,
      studio,
      dataDir,
      users,
      async stopAndRead(read) {
        await stopStudio();
        return withPGlite(dataDir, (db) => read(db));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
