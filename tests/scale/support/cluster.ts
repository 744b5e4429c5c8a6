import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { ensureBuild } from "@/bench/lib/build";
import { startEmulatorProcess, type EmulatorProcess } from "@/bench/lib/emulator-process";
import { startNextInstance, type NextInstance } from "@/bench/lib/next-instance";
import { createScratchDatabase, type ScratchDatabase } from "@/bench/lib/postgres";

import { startLocalBucket, type LocalBucket } from "../../helpers/s3rver";

// The production shape the scale tests run: two `next start` processes of one build, with the same
// secrets, on one fresh PostgreSQL database and one S3 bucket, and the Reve emulator in a process of
// its own. Each instance has a data folder of its own, so nothing is shared but what production
// shares.

export interface Cluster {
  db: ScratchDatabase;
  bucket: LocalBucket;
  emulator: EmulatorProcess;
  a: NextInstance;
  b: NextInstance;
  /** Stops whatever was started, in reverse order; safe after a partial start. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Prefix of the scratch database and the bucket's name. */
  name: string;
  /** The app's variables beyond the database, the bucket, the secrets and the emulator. */
  env?: Record<string, string>;
  emulatorEnv?: Record<string, string>;
  /** Variables of one instance only (say, its poller off). */
  envA?: Record<string, string>;
  envB?: Record<string, string>;
}

/** Builds if needed, then starts the database, bucket, emulator and instances A and B. */
export async function startCluster({
  name,
  env = {},
  emulatorEnv = {},
  envA = {},
  envB = {},
}: ClusterOptions): Promise<Cluster> {
  ensureBuild();
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const db = await createScratchDatabase(name.replaceAll("-", "_"));
    stops.push(() => db.close());
    const bucket = await startLocalBucket(name.replaceAll("_", "-"));
    stops.push(() => bucket.close());
    const emulator = await startEmulatorProcess(emulatorEnv);
    stops.push(() => emulator.stop());
    const shared = {
      DATABASE_URL: db.url,
      ...bucket.env,
      AUTH_SECRET: "scale-test-auth-secret-0123456789abcdef0123",
      MEDIA_SIGNING_SECRET: "scale-test-media-secret-0123456789abcdef012",
      REVE_EMULATOR: "on",
      EMULATOR_PORT: String(emulator.port),
      ...env,
    };
    const start = async (label: string, own: Record<string, string>) => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), `reve-scale-${label}-`));
      stops.push(() => rm(dataDir, { recursive: true, force: true }));
      const instance = await startNextInstance({ label, env: { ...shared, ...own, DATA_DIR: dataDir } });
      stops.push(() => instance.stop());
      return instance;
    };
    const a = await start("a", envA);
    const b = await start("b", envB);
    return { db, bucket, emulator, a, b, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
