import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ensureBuild } from "@/bench/lib/build";
import { startEmulatorProcess, type EmulatorProcess } from "@/bench/lib/emulator-process";
import { startNextInstance, type NextInstance } from "@/bench/lib/next-instance";
import { createScratchDatabase, type ScratchDatabase } from "@/bench/lib/postgres";
import { median } from "@/bench/lib/stats";
import { callAction, createUsers, findAction, signIn, timedRequest } from "@/bench/lib/studio-client";
import type { ActiveJobsDto } from "@/lib/live-query";

import { startLocalBucket, type LocalBucket } from "../helpers/s3rver";

// Long polls across instances: a tab long-polls its active jobs on instance A, whose poller is off;
// instance B's poller finishes the job. A learns of it only through PostgreSQL's NOTIFY (the
// active-jobs route never calls a reseller), so the answer must come as soon as B commits, long
// before the wait would end.

const JOBS = 8;
const WAIT_S = 25;
// The promise: a job finished on B wakes a long poll held on A within a second. The median
// of eight is held to it; each single wake only has to beat the end of its wait by a wide margin,
// which a missed notification (an answer at the end of the wait) could not.
const WAKE_MS = 1_000;
const SURELY_A_WAKE_MS = 10_000;

let db: ScratchDatabase;
let bucket: LocalBucket;
let emulator: EmulatorProcess;
const instances: NextInstance[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  ensureBuild();
  db = await createScratchDatabase("reve_wake");
  bucket = await startLocalBucket("reve-wake");
  emulator = await startEmulatorProcess({ EMULATOR_JOB_MS: "1500" });
  const env = {
    DATABASE_URL: db.url,
    ...bucket.env,
    AUTH_SECRET: "scale-test-auth-secret-0123456789abcdef0123",
    MEDIA_SIGNING_SECRET: "scale-test-media-secret-0123456789abcdef012",
    REVE_EMULATOR: "on",
    EMULATOR_PORT: String(emulator.port),
    WEBHOOKS_ENABLED: "false",
    POLLER_INTERVAL_MS: "100",
  };
  for (const [label, poller] of [
    ["a", "false"],
    ["b", "true"],
  ] as const) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `reve-wake-${label}-`));
    dataDirs.push(dataDir);
    instances.push(
      await startNextInstance({ label, env: { ...env, DATA_DIR: dataDir, POLLER_ENABLED: poller } }),
    );
  }
}, 300_000);

afterAll(async () => {
  for (const instance of instances) await instance.stop();
  await emulator?.stop();
  await bucket?.close();
  await db?.close();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe("a long poll held on one instance", () => {
  it("wakes when another instance's poller finishes the job", async () => {
    const [a] = instances as [NextInstance, NextInstance];
    const [user] = await createUsers(db.db, 1, 1_000, "wake");
    const cookie = await signIn(a.url, user!.email);
    const create = findAction("server/actions/create-image.ts", "createImage");
    const active = async (query: string) => {
      const response = await timedRequest(`${a.url}/api/generations/active${query}`, {
        headers: { cookie },
      });
      expect(response.status, response.body.slice(0, 300)).toBe(200);
      return { dto: JSON.parse(response.body) as ActiveJobsDto, receivedAt: Date.now() };
    };

    const lags: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      const { outcome } = await callAction<{ generationId: string }>(
        a.url,
        create,
        [{ prompt: `wake job ${i}`, provider: "reveart", aspectRatio: "16:9" }],
        cookie,
      );
      if (!outcome.ok) throw new Error(`submit ${i} refused: ${outcome.error.message}`);
      const id = outcome.data.generationId;

      // Long-poll as a tab does until the job is listed as ended.
      let { dto } = await active("");
      let answer: { status: string; receivedAt: number } | undefined;
      while (!answer) {
        const sent = Date.now();
        const next = await active(`?wait=${WAIT_S}&cursor=${encodeURIComponent(dto.cursor)}`);
        const job = next.dto.jobs.find((j) => j.id === id);
        expect(next.receivedAt - sent, "a wait never outlasts its limit").toBeLessThan((WAIT_S + 10) * 1000);
        if (job && (job.status === "succeeded" || job.status === "failed")) {
          answer = { status: job.status, receivedAt: next.receivedAt };
        }
        dto = next.dto;
      }
      expect(answer.status).toBe("succeeded");

      const row = await db.db.generation.findUniqueOrThrow({
        where: { id },
        select: { completedAt: true },
      });
      const lag = answer.receivedAt - row.completedAt!.getTime();
      expect(lag, `job ${i}: A answered ${lag} ms after B finished it`).toBeLessThan(SURELY_A_WAKE_MS);
      lags.push(lag);
    }

    const sorted = [...lags].sort((x, y) => x - y);
    console.info(
      `long poll on A woken by B's poller: ${JOBS} jobs, lag after completion ms ` +
        `median ${median(lags)}, max ${sorted.at(-1)} (${sorted.join(", ")})`,
    );
    expect(median(lags)).toBeLessThanOrEqual(WAKE_MS);
  }, 300_000);
});
