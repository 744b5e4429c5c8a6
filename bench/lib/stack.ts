import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulatorProcess, type EmulatorProcess } from "./emulator-process";
import { startNextInstance, type NextInstance } from "./next-instance";
import { createScratchDatabase, type ScratchDatabase } from "./postgres";

// One studio as a bench sees it: `next start` on a fresh PostgreSQL database, a data folder and
// ports of its own, every reseller served by a local emulator in its own process.

export const BENCH_AUTH_SECRET = "bench-auth-secret-0123456789abcdef0123456789";
export const BENCH_MEDIA_SECRET = "bench-media-secret-0123456789abcdef01234567";

export interface BenchStack {
  db: ScratchDatabase;
  emulator: EmulatorProcess;
  studio: NextInstance;
  dataDir: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Emulator variables (EMULATOR_JOB_MS, …). */
  emulatorEnv?: Record<string, string>;
  /** App variables on top of the bench defaults. */
  env?: Record<string, string>;
  /** The studio's port, when a variable must name it before it starts (WEBHOOK_BASE_URL). */
  port?: number;
  /** Extra node flags for the studio process. */
  nodeArgs?: string[];
  /** Runs between the database and the server start (seeding). */
  beforeStart?: (db: ScratchDatabase, dataDir: string) => Promise<void>;
}

export async function startBenchStack(name: string, options: StackOptions = {}): Promise<BenchStack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), `reve-bench-${name}-`));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await createScratchDatabase(`reve_bench_${name.replace(/\W/g, "_")}`);
    cleanups.push(() => db.close());
    const emulator = await startEmulatorProcess({ EMULATOR_JOB_MS: "0", ...options.emulatorEnv });
    cleanups.push(() => emulator.stop());
    await options.beforeStart?.(db, dataDir);
    const studio = await startNextInstance({
      label: name,
      port: options.port,
      nodeArgs: options.nodeArgs,
      env: {
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        AUTH_SECRET: BENCH_AUTH_SECRET,
        MEDIA_SIGNING_SECRET: BENCH_MEDIA_SECRET,
        REVE_EMULATOR: "on",
        EMULATOR_PORT: String(emulator.port),
        // A bench user submits far more than a person would; the limits are not what is measured.
        MAX_JOBS_IN_FLIGHT: "1000",
        RATE_LIMIT_SUBMITS_PER_MINUTE: "10000",
        LOG_LEVEL: "warn",
        ...options.env,
      },
    });
    cleanups.push(() => studio.stop());
    return { db, emulator, studio, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
