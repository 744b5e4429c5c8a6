import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { median } from "@/bench/lib/stats";
import { callAction, createUsers, findAction, signIn, timedRequest } from "@/bench/lib/studio-client";
import type { ActiveJobsDto } from "@/lib/live-query";

import { startCluster, type Cluster } from "./support/cluster";

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

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    name: "reve_wake",
    emulatorEnv: { EMULATOR_JOB_MS: "1500" },
    env: { WEBHOOKS_ENABLED: "false", POLLER_INTERVAL_MS: "100" },
    envA: { POLLER_ENABLED: "false" },
    envB: { POLLER_ENABLED: "true" },
  });
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

describe("a long poll held on one instance", () => {
  it("wakes when another instance's poller finishes the job", async () => {
    const { a, db } = cluster;
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
