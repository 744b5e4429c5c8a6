import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { holdLeases } from "@/server/generations/lease";
import { leaseDueJobs } from "@/server/generations/poll";
import { failGeneration } from "@/server/generations/failure";
import { submitGeneration } from "@/server/generations/submit";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, type LifecycleHarness } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

// A lease is short and its holder renews it while it works: a busy holder keeps its job however
// long the work takes, and the job of a holder that stopped (a killed process) is free one lease
// later. Every wait below is for a state the database shows, with timeouts far above the lease.

describe.each(DB_KINDS)("lease heartbeat on %s", (kind) => {
  let h: LifecycleHarness;
  beforeAll(async () => {
    h = await createLifecycleHarness(kind, {
      config: { webhookBaseUrl: undefined, leaseMs: 2_000, pollMinMs: 0, pollMaxMs: 0 },
    });
  });
  afterAll(async () => {
    await assertLedgerConserved(h.t.db);
    await h?.close();
  });

  it("keeps a working holder's job past its lease and frees a stopped holder's within one lease", async () => {
    const user = await makeUser(h.t.db, 5);
    const { generationId: id } = await submitGeneration(h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "held [emu:never]",
      provider: "reveart",
    });
    await h.t.db.generation.update({ where: { id }, data: { nextPollAt: new Date(0) } });
    const lease = async () => (await h.t.db.generation.findUniqueOrThrow({ where: { id } })).leaseExpiresAt!;

    const taken = await leaseDueJobs(h.deps, "holder", 10);
    expect(taken.map((j) => j.id)).toContain(id);
    const first = await lease();
    const hold = holdLeases(h.deps, "holder", [id]);
    try {
      // Renewed while held: the lease ends later than the first one, again and again.
      const later = async (than: Date) =>
        vi.waitFor(
          async () => {
            const now = await lease();
            expect(now.getTime()).toBeGreaterThan(than.getTime());
            return now;
          },
          { timeout: 20_000, interval: 50 },
        );
      const second = await later(first);
      // Past the first lease's end, the job is still the holder's.
      await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(first.getTime() + 200), { timeout: 5_000 });
      await later(second);
      expect((await leaseDueJobs(h.deps, "other", 10)).map((j) => j.id)).not.toContain(id);
    } finally {
      await hold.stop();
    }
    // The holder stops renewing (as a killed process would): another takes the job once it lapses.
    const stoppedAt = Date.now();
    const retaken = await vi.waitFor(
      async () => {
        const jobs = await leaseDueJobs(h.deps, "other", 10);
        expect(jobs.map((j) => j.id)).toContain(id);
        return Date.now();
      },
      { timeout: 20_000, interval: 50 },
    );
    console.info(`[${kind}] lease 2 s: taken over ${retaken - stoppedAt} ms after its holder stopped`);
    await failGeneration(h.deps, id, "provider_error");
  });
});
