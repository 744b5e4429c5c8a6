import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { getBalance, holdKey, refundKey } from "@/server/credits/ledger";
import { submitGeneration, type SubmitRequest } from "@/server/generations/submit";
import { sweepStuckJobs } from "@/server/generations/sweep";
import { rerunBatch, varyGeneration } from "@/server/generations/vary";

import { makeUser } from "../helpers/app-db";
import type { LifecycleHarness } from "../helpers/lifecycle";
import { createLifecycleHarness, waitForTerminal } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

// Batches of 1 to 4 images and "vary": each image its own job and hold; a batch that does not fit
// the balance or the in-flight cap is refused whole, before anything is held.

describe.each(DB_KINDS)("batches and vary on %s", (kind) => {
  let h: LifecycleHarness;
  beforeAll(async () => {
    h = await createLifecycleHarness(kind);
  });
  afterEach(async () => {
    h.restart();
    await assertLedgerConserved(h.t.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  const request = (userId: string, extra: Partial<SubmitRequest> = {}): SubmitRequest => ({
    userId,
    kind: "create",
    prompt: "a lighthouse at dusk",
    provider: "reveart",
    ...extra,
  });

  /** Ends a user's running jobs the way the sweeper does (failed, refunded). */
  async function endJobs(userId: string) {
    await h.t.db.generation.updateMany({
      where: { userId, status: { in: ["submitting", "queued", "processing"] } },
      data: { deadlineAt: new Date(0) },
    });
    await sweepStuckJobs(h.deps);
  }

  const finish = (id: string) => waitForTerminal(h.deps, id, 60_000);

  /** What a user owns in the database: nothing of it may move when a submit is refused. */
  async function footprint(userId: string) {
    return {
      balance: await getBalance(h.t.db, userId),
      jobs: await h.t.db.generation.count({ where: { userId } }),
      ledger: await h.t.db.creditLedgerEntry.count({ where: { userId } }),
    };
  }

  it("a batch of 4 makes 4 jobs sharing a batch id, each with its own hold, and each succeeds", async () => {
    const user = await makeUser(h.t.db, 10);
    const price = h.deps.config.prices.create;
    const submitted = await submitGeneration(h.deps, request(user.id, { count: 4, aspectRatio: "16:9" }));

    expect(submitted.generationIds).toHaveLength(4);
    expect(new Set(submitted.generationIds).size).toBe(4);
    expect(submitted.generationId).toBe(submitted.generationIds[0]);
    expect(submitted.batchId).toEqual(expect.any(String));
    expect(await getBalance(h.t.db, user.id)).toBe(10 - 4 * price);
    const jobs = await h.t.db.generation.findMany({ where: { userId: user.id } });
    expect(jobs.map((j) => j.batchId)).toEqual(Array(4).fill(submitted.batchId));
    expect(jobs.every((j) => j.aspectRatio === "16:9" && j.prompt === "a lighthouse at dusk")).toBe(true);
    for (const id of submitted.generationIds) {
      const hold = await h.t.db.creditLedgerEntry.findUniqueOrThrow({
        where: { idempotencyKey: holdKey(id) },
      });
      expect(hold).toMatchObject({ generationId: id, amount: -price, reason: "hold" });
    }
    for (const id of submitted.generationIds) {
      expect((await finish(id)).status).toBe("succeeded");
      expect(await h.t.db.asset.count({ where: { generationId: id } })).toBe(1);
    }
    expect(await getBalance(h.t.db, user.id)).toBe(10 - 4 * price);
  });

  it("a single image has no batch id, and a locked seed gives seed, seed + 1, … across a batch", async () => {
    const user = await makeUser(h.t.db, 10);
    const single = await submitGeneration(h.deps, request(user.id, { prompt: "one [emu:never]" }));
    expect(single).toMatchObject({ generationIds: [single.generationId], batchId: null });
    const seeded = await submitGeneration(
      h.deps,
      request(user.id, { prompt: "three [emu:never]", provider: "apiframe", seed: 41, count: 3 }),
    );
    const rows = await h.t.db.generation.findMany({
      where: { id: { in: seeded.generationIds } },
      select: { id: true, seed: true },
    });
    expect(seeded.generationIds.map((id) => rows.find((r) => r.id === id)!.seed)).toEqual([41, 42, 43]);
    await endJobs(user.id);
  });

  it("a batch the balance cannot pay whole is refused whole: no job, no hold", async () => {
    const price = h.deps.config.prices.create;
    const user = await makeUser(h.t.db, 3 * price);
    const before = await footprint(user.id);
    await expect(submitGeneration(h.deps, request(user.id, { count: 4 }))).rejects.toMatchObject({
      code: "insufficient_credits",
      nothingCharged: true,
    });
    expect(await footprint(user.id)).toEqual(before);
    // Three fit.
    const three = await submitGeneration(h.deps, request(user.id, { prompt: "fits [emu:never]", count: 3 }));
    expect(three.generationIds).toHaveLength(3);
    expect(await getBalance(h.t.db, user.id)).toBe(0);
    await endJobs(user.id);
  });

  it("the in-flight cap counts images: a batch that does not fit is refused whole", async () => {
    const deps = h.restart({ maxJobsInFlight: 4, webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 20);
    await submitGeneration(deps, request(user.id, { prompt: "busy [emu:never]" }));
    const before = await footprint(user.id);
    const refused = submitGeneration(deps, request(user.id, { prompt: "four [emu:never]", count: 4 }));
    await expect(refused).rejects.toMatchObject({ code: "too_many_jobs", nothingCharged: true });
    await expect(refused).rejects.toThrow(/1 jobs running and can run 4 at once: 4 more do not fit/);
    expect(await footprint(user.id)).toEqual(before);
    // Three fill the cap exactly; then even one more is refused.
    await submitGeneration(deps, request(user.id, { prompt: "three [emu:never]", count: 3 }));
    await expect(submitGeneration(deps, request(user.id, { prompt: "one more" }))).rejects.toMatchObject({
      code: "too_many_jobs",
    });
    expect(await h.t.db.generation.count({ where: { userId: user.id } })).toBe(4);
    await h.t.db.generation.updateMany({ where: { userId: user.id }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(deps);
    expect(await getBalance(h.t.db, user.id)).toBe(20);
  });

  it("concurrent batches never make a partial batch: on the balance, one of two batches of 3 goes through", async () => {
    const price = h.deps.config.prices.create;
    const user = await makeUser(h.t.db, 4 * price);
    const results = await Promise.allSettled(
      [1, 2].map((i) =>
        submitGeneration(h.deps, request(user.id, { prompt: `race ${i} [emu:never]`, count: 3 })),
      ),
    );
    const accepted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: "insufficient_credits" });
    const jobs = await h.t.db.generation.findMany({ where: { userId: user.id }, select: { batchId: true } });
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.batchId)).size).toBe(1);
    expect(await h.t.db.creditLedgerEntry.count({ where: { userId: user.id, reason: "hold" } })).toBe(3);
    expect(await getBalance(h.t.db, user.id)).toBe(price);
    await h.t.db.generation.updateMany({ where: { userId: user.id }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(h.deps);
  });

  it("concurrent batches never make a partial batch: on the cap, one of two batches of 3 goes through", async () => {
    const deps = h.restart({ maxJobsInFlight: 4, webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 50);
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        submitGeneration(deps, request(user.id, { prompt: `cap ${i} [emu:never]`, count: 3 })),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "too_many_jobs" });
    }
    expect(await h.t.db.generation.count({ where: { userId: user.id } })).toBe(3);
    expect(await getBalance(h.t.db, user.id)).toBe(50 - 3 * deps.config.prices.create);
    await h.t.db.generation.updateMany({ where: { userId: user.id }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(deps);
    expect(await getBalance(h.t.db, user.id)).toBe(50);
  });

  it("refunds per job: one image of a batch failing gives back its own hold only", async () => {
    const deps = h.restart({ webhookBaseUrl: undefined });
    const price = deps.config.prices.create;
    const user = await makeUser(h.t.db, 10);
    const { generationIds } = await submitGeneration(
      deps,
      request(user.id, { prompt: "slow [emu:never]", count: 3 }),
    );
    const [failing, ...others] = generationIds as [string, ...string[]];
    await h.t.db.generation.update({ where: { id: failing }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(deps);

    expect((await h.t.db.generation.findUniqueOrThrow({ where: { id: failing } })).status).toBe("failed");
    const refund = await h.t.db.creditLedgerEntry.findUniqueOrThrow({
      where: { idempotencyKey: refundKey(failing) },
    });
    expect(refund).toMatchObject({ generationId: failing, amount: price });
    for (const id of others) {
      expect(await h.t.db.creditLedgerEntry.count({ where: { idempotencyKey: refundKey(id) } })).toBe(0);
      expect((await h.t.db.generation.findUniqueOrThrow({ where: { id } })).status).not.toBe("failed");
    }
    expect(await getBalance(h.t.db, user.id)).toBe(10 - 2 * price);
    await h.t.db.generation.updateMany({ where: { userId: user.id }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(deps);
    expect(await getBalance(h.t.db, user.id)).toBe(10);
  });

  it("bad counts are refused before anything is held", async () => {
    const user = await makeUser(h.t.db, 10);
    const before = await footprint(user.id);
    for (const count of [0, 5, 1.5, -1, Number.NaN]) {
      await expect(submitGeneration(h.deps, request(user.id, { count }))).rejects.toMatchObject({
        code: "invalid_input",
        message: "Make 1 to 4 images at once.",
        nothingCharged: true,
      });
    }
    expect(await footprint(user.id)).toEqual(before);
  });

  it("vary: the same prompt and settings, a new seed, a new job with its own hold that continues from the image", async () => {
    const user = await makeUser(h.t.db, 10);
    const price = h.deps.config.prices.create;
    const { generationId } = await submitGeneration(
      h.deps,
      request(user.id, { provider: "apiframe", seed: 7, aspectRatio: "1:1" }),
    );
    await finish(generationId);
    const varied = await varyGeneration(h.deps, user.id, generationId);
    expect(varied.generationId).not.toBe(generationId);
    expect(varied.batchId).toBeNull();
    const [source, copy] = await Promise.all(
      [generationId, varied.generationId].map((id) => h.t.db.generation.findUniqueOrThrow({ where: { id } })),
    );
    expect(copy).toMatchObject({
      kind: source!.kind,
      prompt: source!.prompt,
      negativePrompt: source!.negativePrompt,
      aspectRatio: source!.aspectRatio,
      requestedProvider: source!.requestedProvider,
      parentId: generationId,
    });
    expect(copy!.seed).toEqual(expect.any(Number));
    expect(copy!.seed).not.toBe(7);
    expect(
      await h.t.db.creditLedgerEntry.count({ where: { idempotencyKey: holdKey(varied.generationId) } }),
    ).toBe(1);
    expect(await getBalance(h.t.db, user.id)).toBe(10 - 2 * price);
    expect((await finish(varied.generationId)).status).toBe("succeeded");
  });

  it("vary where no capable provider takes a seed: the provider draws it (no seed sent), settings kept", async () => {
    const user = await makeUser(h.t.db, 10);
    const { generationId } = await submitGeneration(
      h.deps,
      request(user.id, { prompt: "a moor [emu:never]", aspectRatio: "3:2", negativePrompt: "fog" }),
    );
    const varied = await varyGeneration(h.deps, user.id, generationId);
    const copy = await h.t.db.generation.findUniqueOrThrow({ where: { id: varied.generationId } });
    expect(copy).toMatchObject({
      aspectRatio: "3:2",
      negativePrompt: "fog",
      seed: null,
      provider: "reveart",
    });
    await endJobs(user.id);
  });

  it("vary and re-run of someone else's image or batch: not found, nothing charged on either side", async () => {
    const owner = await makeUser(h.t.db, 10);
    const stranger = await makeUser(h.t.db, 10);
    const batch = await submitGeneration(h.deps, request(owner.id, { prompt: "mine [emu:never]", count: 2 }));
    const before = [await footprint(owner.id), await footprint(stranger.id)];
    await expect(varyGeneration(h.deps, stranger.id, batch.generationId)).rejects.toMatchObject({
      code: "not_found",
      nothingCharged: true,
    });
    await expect(rerunBatch(h.deps, stranger.id, batch.batchId!)).rejects.toMatchObject({
      code: "not_found",
      nothingCharged: true,
    });
    expect([await footprint(owner.id), await footprint(stranger.id)]).toEqual(before);
    await endJobs(owner.id);
  });

  it("re-run batch: a new batch of the same size and settings, held whole", async () => {
    const user = await makeUser(h.t.db, 10);
    const price = h.deps.config.prices.create;
    const first = await submitGeneration(
      h.deps,
      request(user.id, { prompt: "again [emu:never]", count: 3, aspectRatio: "4:3" }),
    );
    const again = await rerunBatch(h.deps, user.id, first.batchId!);
    expect(again.generationIds).toHaveLength(3);
    expect(again.batchId).not.toBe(first.batchId);
    const rows = await h.t.db.generation.findMany({ where: { batchId: again.batchId } });
    expect(rows.every((r) => r.aspectRatio === "4:3" && r.prompt === "again [emu:never]")).toBe(true);
    expect(await getBalance(h.t.db, user.id)).toBe(10 - 6 * price);
    await endJobs(user.id);
  });
});
