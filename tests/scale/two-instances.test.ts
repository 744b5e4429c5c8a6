import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { forEachLimit } from "@/bench/lib/bench";
import { callAction, createUsers, findAction, signIn, timedRequest } from "@/bench/lib/studio-client";
import { waitFor } from "@/bench/lib/wait";

import { createStorage } from "@/server/storage/create-storage";
import { sweepOrphanedFiles, type OrphanSweepResult } from "@/server/storage/sweep-orphans";

import { assertLedgerConserved } from "../helpers/test-db";
import { startCluster, type Cluster } from "./support/cluster";
import { overlappingCalls, statusCallsByJob } from "./support/poll-log";

// The production shape: two `next start` processes of one build on one PostgreSQL database and one
// S3 bucket. 1,000 jobs are submitted through both instances' server actions with webhooks off, so
// the two background pollers do all the provider work under their leases. Midway one instance is
// SIGKILLed; the other must finish every job, and the emulator's log must show no job polled by two
// processes at once and every job completed exactly once.

const JOBS = 1_000;
const USERS = 20;
// Every create-capable reseller in turn; Apiframe takes no aspect ratio but the default square.
const PROVIDERS = [
  { provider: "apiframe", aspectRatio: "1:1" },
  { provider: "reve2img", aspectRatio: "16:9" },
  { provider: "reveart", aspectRatio: "16:9" },
] as const;
// Smaller provider timeouts would fail image downloads on a busy 2-core machine.
const PROVIDER_TIMEOUT_MS = 5_000;
// A lease lasts 5 s and its holder renews it while it works, so the killed instance's jobs are free
// 5 s after the kill at most; the survivor must have asked about each of them within 10 s.
const LEASE_MS = 5_000;
const PICKUP_MS = 10_000;
const DRAIN_TIMEOUT_MS = LEASE_MS + 240_000;

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    name: "reve_scale",
    emulatorEnv: { EMULATOR_JOB_MS: "300" },
    env: {
      WEBHOOKS_ENABLED: "false",
      POLLER_INTERVAL_MS: "100",
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      MAX_JOBS_IN_FLIGHT: "1000",
      RATE_LIMIT_SUBMITS_PER_MINUTE: "10000",
    },
  });
}, 300_000);

afterAll(async () => {
  await stopSampler?.();
  await cluster?.stop();
}, 60_000);

interface Progress {
  succeeded: number;
  failed: number;
  open: number;
}

async function progress(): Promise<Progress> {
  const rows = await cluster.db.db.generation.groupBy({ by: ["status"], _count: { _all: true } });
  const count = (status: string) => rows.find((r) => r.status === status)?._count._all ?? 0;
  const succeeded = count("succeeded");
  const failed = count("failed");
  return { succeeded, failed, open: JOBS - succeeded - failed };
}

/** The jobs leased right now, by the PID that the lease owner starts with (`<pid>-<uuid>:…`). */
async function leasesByPid(): Promise<Map<number, string[]>> {
  const leased = await cluster.db.db.generation.findMany({
    where: { leaseOwner: { not: null }, leaseExpiresAt: { gt: new Date() } },
    select: { id: true, leaseOwner: true },
  });
  const byPid = new Map<number, string[]>();
  for (const job of leased) {
    const pid = Number(job.leaseOwner!.split("-")[0]);
    byPid.set(pid, [...(byPid.get(pid) ?? []), job.id]);
  }
  return byPid;
}

let stopSampler: (() => Promise<void>) | undefined;

/** Records every job each PID is seen leasing, every 100 ms, until stopped. */
function startLeaseSampler(): Map<number, Set<string>> {
  const leasedBy = new Map<number, Set<string>>();
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      for (const [pid, ids] of await leasesByPid()) {
        const seen = leasedBy.get(pid) ?? new Set<string>();
        for (const id of ids) seen.add(id);
        leasedBy.set(pid, seen);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  stopSampler = async () => {
    sampling = false;
    await loop;
  };
  return leasedBy;
}

describe("two instances on one PostgreSQL and one S3 bucket", () => {
  it(
    "poll each job from one instance at a time and finish every job exactly once after one is killed",
    async () => {
      const { db, bucket, emulator, a, b } = cluster;
      const users = await createUsers(db.db, USERS, 1_000, "scale");
      // Sessions are stateless JWTs: signed in on A, they are valid on B as they are.
      const cookies = await Promise.all(users.map((user) => signIn(a.url, user.email)));
      const action = findAction("server/actions/create-image.ts", "createImage");

      // Who leased what, sampled all along: both pollers must take part before the kill.
      const leasedBy = startLeaseSampler();

      const started = Date.now();
      const submitted: string[] = [];
      const refused: string[] = [];
      await forEachLimit(
        Array.from({ length: JOBS }, (_, i) => i),
        16,
        async (i) => {
          const instance = i % 2 === 0 ? a : b;
          const { outcome } = await callAction<{ generationId: string }>(
            instance.url,
            action,
            [{ prompt: `scale job ${i}`, ...PROVIDERS[i % PROVIDERS.length]! }],
            cookies[i % USERS]!,
            { fresh: true },
          ).catch((error: unknown) => {
            throw new Error(
              `Submit ${i} to ${instance.url} failed: ${(error as Error).message}. ` +
                `Exited: ${instance.child.exited()}. Its last output:\n${instance.child.output().slice(-3000)}`,
            );
          });
          if (outcome.ok) submitted.push(outcome.data.generationId);
          else refused.push(`${i}: ${outcome.error.code} ${outcome.error.message}`);
        },
      );
      const submitSeconds = (Date.now() - started) / 1000;
      expect(refused, "every submit is accepted").toEqual([]);
      expect(submitted).toHaveLength(JOBS);

      // Midway: once about half the jobs are done and A holds leases on jobs in progress.
      const heldByA = await waitFor(
        "about half the jobs done while instance A holds leases",
        async () => {
          const { succeeded, failed } = await progress();
          if (succeeded + failed < JOBS * 0.45) return undefined;
          const held = (await leasesByPid()).get(a.child.pid);
          return held && held.length > 0 ? held : undefined;
        },
        240_000,
        50,
      );
      a.child.process.kill("SIGKILL");
      const killedAt = Date.now();
      await a.child.exit;
      const atKill = await progress();

      const final = await waitFor(
        "instance B to finish every job",
        async () => {
          const now = await progress();
          return now.open === 0 ? now : undefined;
        },
        DRAIN_TIMEOUT_MS,
        500,
      ).catch(async (error: unknown) => {
        throw new Error(
          `${(error as Error).message} Progress: ${JSON.stringify(await progress())}. ` +
            `Instance B's last output:\n${b.child.output().slice(-3000)}`,
        );
      });
      const drainSeconds = (Date.now() - killedAt) / 1000;
      await stopSampler?.();

      // Exactly once: one output per job, every job succeeded, every file in the bucket.
      const outputs = await db.db.asset.groupBy({
        by: ["generationId"],
        where: { kind: "output" },
        _count: { _all: true },
      });
      const duplicateOutputs = outputs.filter((o) => o._count._all !== 1);
      const assets = await db.db.asset.findMany({
        where: { kind: "output" },
        select: { id: true, userId: true, storageKey: true, thumbKey: true },
      });
      const missingFiles: string[] = [];
      await forEachLimit(
        assets.flatMap((x) => [x.storageKey, x.thumbKey!]),
        16,
        async (key) => {
          if (!(await bucket.exists(key))) missingFiles.push(key);
        },
      );
      // Objects A stored but never committed (it died between the upload and the row): the orphan
      // sweep removes them. In production only files older than an hour are swept; every job is done
      // here, so nothing is committing and the test sweeps them all at once. B's own sweep may hold
      // the lock at that moment: then it is asked again.
      const cutOff = await bucket.discardUnfinishedUploads();
      const orphansBeforeSweep = (await bucket.objectCount()) - assets.length * 2;
      const bucketStorage = createStorage({ DATA_DIR: "unused", ...bucket.env, S3_FORCE_PATH_STYLE: true });
      const swept: OrphanSweepResult = await waitFor(
        "an orphan sweep that got the lock",
        async () =>
          (await sweepOrphanedFiles({ db: db.db, storage: bucketStorage }, { minAgeMs: 0 })) ?? undefined,
        30_000,
      );
      const orphanedObjects = (await bucket.objectCount()) - assets.length * 2;

      // No two processes asked about one job at once.
      const log = await emulator.requests();
      const calls = statusCallsByJob(log);
      const overlaps = overlappingCalls(calls);
      // How soon B asked about each job A held when it died: its first status call after the kill.
      const abandonedJobs = await db.db.generation.findMany({
        where: { id: { in: heldByA } },
        select: { provider: true, providerJobId: true },
      });
      const pickups = abandonedJobs.map((job) => {
        const after = (calls.get(`${job.provider}:${job.providerJobId}`) ?? []).filter(
          (call) => call.startedAt >= killedAt,
        );
        return Math.min(...after.map((call) => call.startedAt)) - killedAt;
      });
      const slowestPickup = Math.max(...pickups);
      const statusCalls = [...calls.values()].reduce((n, c) => n + c.length, 0);
      const lost = JOBS - final.succeeded;

      // An image that either instance stored is served by the survivor, from the bucket.
      const sample = assets[0]!;
      const owner = users.findIndex((u) => u.id === sample.userId);
      const media = await timedRequest(`${b.url}/api/media/${sample.id}/original`, {
        headers: { cookie: cookies[owner]! },
      });

      console.info(
        [
          "",
          "Two instances, one PostgreSQL, one S3 bucket (s3rver):",
          `  jobs              ${JOBS} (${submitSeconds.toFixed(1)} s to submit through both instances)`,
          `  duplicate polls   ${overlaps.length}`,
          `  lost jobs         ${lost}`,
          `  duplicate outputs ${duplicateOutputs.length}`,
          `  seconds to drain  ${drainSeconds.toFixed(1)} after SIGKILL of A (lease ${LEASE_MS / 1000} s); ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s from the first submit`,
          `  at the kill       ${atKill.succeeded} done, ${heldByA.length} jobs leased by A`,
          `  picked up         A's jobs asked about by B at most ${(slowestPickup / 1000).toFixed(1)} s after the kill`,
          `  leases taken      A ${leasedBy.get(a.child.pid)?.size ?? 0} jobs, B ${leasedBy.get(b.child.pid)?.size ?? 0} jobs (sampled)`,
          `  status calls      ${statusCalls} (${(statusCalls / JOBS).toFixed(2)} per job)`,
          `  orphaned objects  ${orphansBeforeSweep} stored by A before its commit (plus ${cutOff} cut-off uploads), ` +
            `${swept.removed.length} removed by the sweep, ${orphanedObjects} left`,
          "",
        ].join("\n"),
      );

      expect(overlaps, "no job is polled by two processes at once").toEqual([]);
      expect(slowestPickup, "B asks about every job A held within 10 s of the kill").toBeLessThanOrEqual(
        PICKUP_MS,
      );
      expect(final).toEqual({ succeeded: JOBS, failed: 0, open: 0 });
      expect(duplicateOutputs, "one output per job").toEqual([]);
      expect(assets).toHaveLength(JOBS);
      expect(missingFiles, "every output and thumbnail is in the bucket").toEqual([]);
      expect(orphanedObjects, "no object without a row after the sweep").toBe(0);
      expect(
        leasedBy.get(a.child.pid)?.size ?? 0,
        "instance A polled jobs before it was killed",
      ).toBeGreaterThan(0);
      expect(leasedBy.get(b.child.pid)?.size ?? 0, "instance B polled jobs").toBeGreaterThan(0);
      const abandoned = await db.db.generation.findMany({
        where: { id: { in: heldByA } },
        select: { status: true },
      });
      expect(
        abandoned.map((j) => j.status),
        "B finished the jobs A held when it died",
      ).toEqual(heldByA.map(() => "succeeded"));
      expect(calls.size, "every job was polled").toBe(JOBS);
      expect(media.status).toBe(200);
      await assertLedgerConserved(db.db);
      const balances = await db.db.user.findMany({ where: { id: { in: users.map((u) => u.id) } } });
      expect(
        balances.reduce((sum, u) => sum + u.credits, 0),
        "one hold per job, no refunds",
      ).toBe(USERS * 1_000 - JOBS);
    },
    DRAIN_TIMEOUT_MS + 300_000,
  );
});
