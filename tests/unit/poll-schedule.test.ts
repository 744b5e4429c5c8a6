import { describe, expect, it } from "vitest";

import {
  MIN_SAMPLES,
  observedDurationMs,
  plannedPollTimes,
  scheduledPollDelay,
  WINDOW,
} from "@/server/generations/poll-schedule";

// The poll schedule on a simulated clock: jobs of known durations run one after another, the
// schedule decides every poll, and what each completion taught it feeds the next job's plan, as the
// database window does in the studio. Deterministic: no timers, a seeded random source.

const MIN_MS = 2_000;
const MAX_MS = 30_000;

function seeded(seed: number) {
  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface JobRun {
  calls: number;
  lagMs: number;
  planned: boolean;
}

/** Runs jobs of the given durations through the schedule; each poll is an instant status call. */
function simulate(durations: number[], random: () => number): JobRun[] {
  const window: number[] = [];
  return durations.map((duration) => {
    const plan = plannedPollTimes(window.slice(-WINDOW));
    let previousLookAt: number | null = null;
    let at = scheduledPollDelay({ elapsedMs: 0, attempts: 0, plan, minMs: MIN_MS, maxMs: MAX_MS, random });
    for (let calls = 1; ; calls++) {
      if (at >= duration) {
        window.push(observedDurationMs({ submittedAt: 0, seenAt: at, previousLookAt, pushed: false }));
        return { calls, lagMs: at - duration, planned: plan !== null };
      }
      previousLookAt = at;
      at += scheduledPollDelay({
        elapsedMs: at,
        attempts: calls,
        plan,
        minMs: MIN_MS,
        maxMs: MAX_MS,
        random,
      });
    }
  });
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("poll schedule timed to recent completions", () => {
  it("keeps the default back-off until enough jobs have finished", () => {
    const runs = simulate(Array<number>(MIN_SAMPLES + 1).fill(15_000), () => 0.5);
    expect(runs.slice(0, MIN_SAMPLES).every((r) => !r.planned)).toBe(true);
    // The default schedule: 2 s, then ×1.6 – a 15 s job is seen at about 18.5 s, on the 4th call.
    expect(runs[0]).toEqual({ calls: 4, lagMs: 3_512, planned: false });
    expect(runs[MIN_SAMPLES]!.planned).toBe(true);
  });

  it("fixed 15 s jobs: at most 4 calls a job, each seen within 1 s of finishing", () => {
    const runs = simulate(Array<number>(300).fill(15_000), seeded(1)).slice(100);
    const calls = runs.map((r) => r.calls);
    const lags = runs.map((r) => r.lagMs);
    console.info(
      `fixed 15 s: ${mean(calls).toFixed(2)} calls a job (max ${Math.max(...calls)}), ` +
        `seen after ${median(lags)} ms p50, ${Math.max(...lags)} ms max`,
    );
    expect(Math.max(...calls)).toBeLessThanOrEqual(4);
    expect(Math.max(...lags)).toBeLessThanOrEqual(1_000);
  });

  it("15 s ±30% jobs: at most 6 calls a job on average, seen within 1.5 s at the median", () => {
    const random = seeded(7);
    const durations = Array.from({ length: 600 }, () => Math.round(15_000 * (0.7 + 0.6 * random())));
    const runs = simulate(durations, seeded(8)).slice(100);
    const calls = runs.map((r) => r.calls);
    const lags = runs.map((r) => r.lagMs);
    console.info(
      `jittered 15 s ±30%: ${mean(calls).toFixed(2)} calls a job (max ${Math.max(...calls)}), ` +
        `seen after ${median(lags)} ms p50, ${Math.max(...lags)} ms max`,
    );
    expect(mean(calls)).toBeLessThanOrEqual(6);
    expect(median(lags)).toBeLessThanOrEqual(1_500);
  });

  it("follows a reseller that becomes faster", () => {
    const runs = simulate([...Array<number>(100).fill(15_000), ...Array<number>(200).fill(8_000)], seeded(3));
    const late = runs.slice(-50);
    expect(Math.max(...late.map((r) => r.lagMs))).toBeLessThanOrEqual(1_000);
    expect(Math.max(...late.map((r) => r.calls))).toBeLessThanOrEqual(4);
  });

  it("a webhook's arrival is the completion time; a poll's finding is the middle since the last look", () => {
    expect(
      observedDurationMs({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: 10_000, pushed: true }),
    ).toBe(15_000);
    expect(
      observedDurationMs({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: 15_500, pushed: false }),
    ).toBe(14_750);
    expect(
      observedDurationMs({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: null, pushed: false }),
    ).toBe(14_500);
    expect(
      observedDurationMs({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: 12_000, pushed: false }),
    ).toBe(13_000);
  });
});
