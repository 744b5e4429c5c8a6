import { describe, expect, it } from "vitest";

import { cachedSwitches, NO_SWITCHES, type ResellerSwitches } from "@/server/providers/switches";

// How long an instance may route by switches it read: never by a read begun more than the TTL ago,
// however long that read took, and never by one begun before this instance changed them itself.
// The clock is explicit and each read is answered by the test, so "slow" is a step, not a wait.

const off = (...ids: ("apiframe" | "reveart")[]): ResellerSwitches => ({
  disabled: new Set(ids),
  priority: {},
});

function harness() {
  let clock = 1_000_000;
  const reads: { startedAt: number; answer: (s: ResellerSwitches) => void; fail: (e: Error) => void }[] = [];
  const cache = cachedSwitches({
    ttlMs: 2_000,
    now: () => clock,
    load: () =>
      new Promise<ResellerSwitches>((answer, fail) => reads.push({ startedAt: clock, answer, fail })),
  });
  return {
    cache,
    reads,
    tick: (ms: number) => void (clock += ms),
  };
}

describe("the reseller switches' cache", () => {
  it("reads once per TTL and shares a read in flight", async () => {
    const { cache, reads, tick } = harness();
    const first = cache.get();
    const second = cache.get();
    expect(reads).toHaveLength(1);
    reads[0]!.answer(off("apiframe"));
    expect((await first).disabled).toEqual(new Set(["apiframe"]));
    expect(await second).toBe(await first);

    tick(1_999);
    expect((await cache.get()).disabled).toEqual(new Set(["apiframe"]));
    expect(reads).toHaveLength(1);
    tick(1);
    const third = cache.get();
    expect(reads).toHaveLength(2);
    reads[1]!.answer(NO_SWITCHES);
    expect((await third).disabled.size).toBe(0);
  });

  it("times the TTL from a read's start: a slow read does not extend the life of what it found", async () => {
    const { cache, reads, tick } = harness();
    const first = cache.get();
    // The read takes 1.5 s; a switch committed meanwhile may be missing from its answer.
    tick(1_500);
    reads[0]!.answer(NO_SWITCHES);
    await first;
    // 2 s after that read began, it is no longer trusted, although it ended only 0.5 s ago.
    tick(500);
    const next = cache.get();
    expect(reads).toHaveLength(2);
    reads[1]!.answer(off("apiframe"));
    expect((await next).disabled).toEqual(new Set(["apiframe"]));
  });

  it("does not wait on a read in flight that began more than the TTL ago", async () => {
    const { cache, reads, tick } = harness();
    const stuck = cache.get();
    tick(2_500);
    const fresh = cache.get();
    expect(reads).toHaveLength(2);
    reads[1]!.answer(off("apiframe"));
    expect((await fresh).disabled).toEqual(new Set(["apiframe"]));
    // The stale read answering last does not replace the newer switches.
    reads[0]!.answer(NO_SWITCHES);
    expect((await stuck).disabled).toEqual(new Set(["apiframe"]));
    expect(cache.peek().disabled).toEqual(new Set(["apiframe"]));
  });

  it("after invalidate, reads again and trusts no read begun before it", async () => {
    const { cache, reads, tick } = harness();
    const first = cache.get();
    reads[0]!.answer(NO_SWITCHES);
    await first;
    const before = cache.get(); // cached: no read
    expect(reads).toHaveLength(1);
    await before;

    // A read begins, then this instance switches Apiframe off and forgets the cache.
    tick(2_000);
    const racing = cache.get();
    cache.invalidate();
    const after = cache.get();
    expect(reads).toHaveLength(3);
    reads[2]!.answer(off("apiframe"));
    reads[1]!.answer(NO_SWITCHES);
    expect((await after).disabled).toEqual(new Set(["apiframe"]));
    await racing;
    expect(cache.peek().disabled).toEqual(new Set(["apiframe"]));
    tick(100);
    expect((await cache.get()).disabled).toEqual(new Set(["apiframe"]));
    expect(reads).toHaveLength(3);
  });

  it("keeps the last switches when a read fails, and tries again a TTL later", async () => {
    const { cache, reads, tick } = harness();
    const first = cache.get();
    reads[0]!.answer(off("reveart"));
    await first;
    tick(2_000);
    const failed = cache.get();
    reads[1]!.fail(new Error("connection refused"));
    expect((await failed).disabled).toEqual(new Set(["reveart"]));
    tick(1_000);
    await cache.get();
    expect(reads).toHaveLength(2);
    tick(1_000);
    void cache.get();
    expect(reads).toHaveLength(3);
  });
});
