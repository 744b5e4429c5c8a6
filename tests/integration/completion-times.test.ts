import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { recentCompletions } from "@/server/generations/completion-times";
import { MIN_SAMPLES, plannedPollTimes } from "@/server/generations/poll-schedule";
import { submitGeneration } from "@/server/generations/submit";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, waitForTerminal, type LifecycleHarness } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

// The database window the poll schedule reads: every job a poll finds done keeps how long it took
// and how far off that may be, and a reseller's plan exists once MIN_SAMPLES such jobs are done.

describe.each(DB_KINDS)("completion times on %s", (kind) => {
  let h: LifecycleHarness;
  beforeAll(async () => {
    h = await createLifecycleHarness(kind, { config: { webhookBaseUrl: undefined } });
  });
  afterAll(async () => {
    await assertLedgerConserved(h.t.db);
    await h?.close();
  });

  it("records each polled job's time and margin, and plans a reseller's polls once enough are done", async () => {
    const user = await makeUser(h.t.db, 100);
    const finish = async (count: number) => {
      const jobs = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          submitGeneration(h.deps, {
            userId: user.id,
            kind: "create",
            prompt: `timed ${i} [emu:slow=300]`,
            provider: "apiframe",
          }),
        ),
      );
      return Promise.all(jobs.map((job) => waitForTerminal(h.deps, job.generationId)));
    };

    const first = await finish(MIN_SAMPLES - 1);
    for (const job of first) {
      expect(job.status).toBe("succeeded");
      expect(job.providerMs).not.toBeNull();
      expect(job.providerMsMargin).not.toBeNull();
      expect(job.providerMsMargin!).toBeGreaterThanOrEqual(0);
    }
    const window = () => recentCompletions(h.t.db, "apiframe", "create");
    expect(plannedPollTimes(await window())).toBeNull();

    await finish(1);
    const samples = await window();
    expect(samples).toHaveLength(MIN_SAMPLES);
    expect(samples.every((s) => s.marginMs !== null && s.marginMs <= s.ms)).toBe(true);
    expect(plannedPollTimes(samples)).not.toBeNull();
    // Another operation has a window of its own.
    expect(await recentCompletions(h.t.db, "apiframe", "edit")).toEqual([]);
  });
});
