// Drain time after a SIGKILL: two `next start` instances on one PostgreSQL database, polling only.
// Instance A polls N jobs whose images it cannot download yet (the emulator points their URLs at a
// server that accepts and never answers), so A holds all N leases, renewing them, as a process busy
// with slow downloads would. B starts, the URLs are pointed back at the emulator, A is SIGKILLed,
// and the bench times B: its first status call about each job, and the last job stored as done.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { LoggedRequest } from "@/emulator/server";

import { forEachLimit, type Bench, type BenchResult } from "./lib/bench";
import { startNextInstance } from "./lib/next-instance";
import { startSilentServer } from "./lib/silent-server";
import { BENCH_AUTH_SECRET, BENCH_MEDIA_SECRET, startBenchStack } from "./lib/stack";
import { fmt, markdownTable, verdict } from "./lib/stats";
import { callAction, createUsers, findAction, signIn } from "./lib/studio-client";
import { waitFor } from "./lib/wait";

/** One poller's slots: every job is held by A at once. */
const JOBS = 16;
const JOB_MS = 2_000;
/** The lease the studio takes (server/generations/deps.ts), renewed a quarter-lease apart. */
const LEASE_MS = 5_000;
const PICKUP_TARGET_MS = 10_000;

const statusJobId = (r: LoggedRequest) =>
  r.method === "GET" && r.provider === "apiframe" ? /^\/v2\/jobs\/([^/]+)$/.exec(r.path)?.[1] : undefined;

async function run(): Promise<BenchResult> {
  const silent = await startSilentServer();
  const common = {
    WEBHOOKS_ENABLED: "false",
    // A's downloads hang on the silent server until it is killed; the timeout outlasts B's start.
    MEDIA_FETCH_ALLOW_HOSTS: silent.host,
  };
  const stack = await startBenchStack("drain", {
    emulatorEnv: { EMULATOR_JOB_MS: String(JOB_MS) },
    env: { ...common, PROVIDER_TIMEOUT_MS: "240000" },
  });
  const dataDirB = mkdtempSync(join(tmpdir(), "reve-bench-drain-b-"));
  const stopB: (() => Promise<void>)[] = [];
  try {
    const { db, studio: a, emulator } = stack;
    await emulator.configure({ publicUrl: silent.url });
    const [user] = await createUsers(db.db, 1, 1_000);
    const cookie = await signIn(a.url, user!.email);
    const create = findAction("server/actions/create-image.ts", "createImage");
    const ids: string[] = [];
    await forEachLimit(
      Array.from({ length: JOBS }, (_, i) => i),
      4,
      async (i) => {
        const input = { prompt: `drain ${i}`, aspectRatio: "1:1", provider: "apiframe" };
        const { outcome } = await callAction<{ generationId: string }>(a.url, create, [input], cookie);
        if (!outcome.ok) throw new Error(`Submit failed: ${outcome.error.message}`);
        ids.push(outcome.data.generationId);
      },
    );
    const heldByA = async () =>
      db.db.generation.findMany({
        where: {
          id: { in: ids },
          status: { in: ["queued", "processing"] },
          leaseOwner: { startsWith: `${a.child.pid}-` },
          leaseExpiresAt: { gt: new Date() },
        },
        select: { id: true, providerJobId: true, leaseExpiresAt: true },
      });
    await waitFor(
      `instance A to hold all ${JOBS} jobs`,
      async () => ((await heldByA()).length === JOBS ? true : undefined),
      120_000,
      200,
    );

    const b = await startNextInstance({
      label: "drain-b",
      env: {
        DATABASE_URL: db.url,
        DATA_DIR: dataDirB,
        AUTH_SECRET: BENCH_AUTH_SECRET,
        MEDIA_SIGNING_SECRET: BENCH_MEDIA_SECRET,
        REVE_EMULATOR: "on",
        EMULATOR_PORT: String(emulator.port),
        LOG_LEVEL: "warn",
        ...common,
      },
    });
    stopB.push(() => b.stop());
    await emulator.configure({ publicUrl: "" });
    await emulator.clearRequests();

    const held = await heldByA();
    a.child.process.kill("SIGKILL");
    const killedAt = Date.now();
    await a.child.exit;
    const leaseLeftMs = Math.max(...held.map((j) => j.leaseExpiresAt!.getTime())) - killedAt;

    await waitFor(
      `instance B to finish the ${JOBS} jobs`,
      async () =>
        (await db.db.generation.count({ where: { id: { in: ids }, status: "succeeded" } })) === JOBS
          ? true
          : undefined,
      120_000,
      100,
    );
    const drainMs = Date.now() - killedAt;
    const rows = await db.db.generation.findMany({
      where: { id: { in: ids } },
      select: { providerJobId: true, completedAt: true },
    });
    const lastStoredMs = Math.max(...rows.map((r) => r.completedAt!.getTime())) - killedAt;
    const firstCall = new Map<string, number>();
    for (const r of await emulator.requests()) {
      const id = statusJobId(r);
      if (id && r.startedAt >= killedAt && !firstCall.has(id)) firstCall.set(id, r.startedAt);
    }
    const pickups = held.map((j) => (firstCall.get(j.providerJobId!) ?? Infinity) - killedAt);
    const pickupMax = Math.max(...pickups);
    const pickupMin = Math.min(...pickups);
    const met = held.length === JOBS && pickupMax <= PICKUP_TARGET_MS;
    const s = (ms: number) => fmt(ms / 1000, 1);
    return {
      title: "Drain time after a SIGKILL: two instances on PostgreSQL, polling only",
      method:
        `Apiframe creates of ${JOB_MS / 1000} s through instance A's server action, webhooks off. A's downloads ` +
        "hang (the emulator's result URLs point at a server that never answers), so A holds every job's lease " +
        "and renews it; then B starts, the URLs point back at the emulator, and A is SIGKILLed. Picked up: B's " +
        "first status call about a job, from the emulator's log; drained: the last job stored as done (the " +
        "bench reads the database every 100 ms).",
      table: markdownTable(
        [
          "jobs held by A",
          "lease s",
          "lease left at the kill s",
          "picked up by B s",
          "last stored s",
          "drained s",
        ],
        [
          [
            `${held.length} of ${JOBS}`,
            s(LEASE_MS),
            s(leaseLeftMs),
            `${s(pickupMin)}–${s(pickupMax)}`,
            s(lastStoredMs),
            s(drainMs),
          ],
        ],
      ),
      summary:
        `Drain after a SIGKILL: ${held.length} jobs held by A, all picked up by B within ${s(pickupMax)} s ` +
        `(target ≤ 10 s; lease ${s(LEASE_MS)} s) and finished ${s(lastStoredMs)} s after the kill: ${verdict(met)}`,
      targetsMet: met,
    };
  } finally {
    for (const stop of stopB) await stop();
    await stack.close();
    await silent.close();
    rmSync(dataDirB, { recursive: true, force: true });
  }
}

export const drainAfterKill: Bench = { name: "drain", run };
