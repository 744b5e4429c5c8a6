import { describe, expect, it } from "vitest";

import { seededRandom } from "@/bench/lib/seeded-random";
import {
  type CompletionSample,
  MIN_SAMPLES,
  observedDuration,
  plannedPollTimes,
  scheduledPollDelay,
  WINDOW,
} from "@/server/generations/poll-schedule";

// The poll schedule on a simulated clock: the schedule decides every poll of jobs of known
// durations, and what each completion taught it feeds the later jobs' plans, as the database window
// does in the studio. Jobs run in waves: every job of a wave is submitted at once, so none of them
// learns from another (the timed-polls bench's shape); a wave of one is a job after another.
// Deterministic: no timers, seeded random sources.

const MIN_MS = 2_000;
const MAX_MS = 30_000;

interface JobRun {
  calls: number;
  lagMs: number;
  planned: boolean;
}

interface SimulationOptions {
  random: () => number;
  /** Each poll happens this long after its planned time (the poller's round, a busy process). */
  pollLagMs?: number;
}

/** Runs waves of jobs of the given durations through the schedule; a status call is instant. */
function simulate(waves: number[][], { random, pollLagMs = 0 }: SimulationOptions): JobRun[][] {
  const window: CompletionSample[] = [];
  return waves.map((durations) => {
    const plan = plannedPollTimes(window.slice(-WINDOW));
    const runs = durations.map((duration) => {
      let previousLookAt: number | null = null;
      let at = scheduledPollDelay({ elapsedMs: 0, attempts: 0, plan, minMs: MIN_MS, maxMs: MAX_MS, random });
      for (let calls = 1; ; calls++) {
        at += pollLagMs;
        if (at >= duration) {
          return {
            run: { calls, lagMs: at - duration, planned: plan !== null },
            took: observedDuration({ submittedAt: 0, seenAt: at, previousLookAt, pushed: false }),
          };
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
    window.push(...runs.map((r) => r.took));
    return runs.map((r) => r.run);
  });
}

/** One job after another: each learns from every one before it. */
const oneByOne = (durations: number[], options: SimulationOptions) =>
  simulate(
    durations.map((d) => [d]),
    options,
  ).flat();

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function describeRuns(label: string, runs: JobRun[]) {
  const calls = runs.map((r) => r.calls);
  const lags = runs.map((r) => r.lagMs);
  console.info(
    `${label}: ${mean(calls).toFixed(2)} calls a job (max ${Math.max(...calls)}), ` +
      `seen after ${median(lags)} ms p50, ${Math.max(...lags)} ms max`,
  );
  return { calls, lags };
}

const FIXED = 15_000;
/** The timed-polls bench: 12 jobs on the defaults, two waves of 15 planned, then 30 measured. */
const BENCH_WAVES = [12, 15, 15, 30];
const jittered = (count: number, random: () => number) =>
  Array.from({ length: count }, () => Math.round(FIXED * (0.7 + 0.6 * random())));

describe("poll schedule timed to recent completions", () => {
  it("keeps the default back-off until enough jobs have finished", () => {
    const runs = oneByOne(Array<number>(MIN_SAMPLES + 1).fill(FIXED), { random: () => 0.5 });
    expect(runs.slice(0, MIN_SAMPLES).every((r) => !r.planned)).toBe(true);
    // The default schedule: 2 s, then ×1.6 – a 15 s job is seen at about 18.5 s, on the 4th call.
    expect(runs[0]).toEqual({ calls: 4, lagMs: 3_512, planned: false });
    expect(runs[MIN_SAMPLES]!.planned).toBe(true);
  });

  it("fixed 15 s jobs in waves: after a wave on the defaults and two planned ones, every job takes at most 4 calls and is seen within 1 s", () => {
    for (const pollLagMs of [0, 150, 300]) {
      const waves = simulate(
        BENCH_WAVES.map((n) => Array<number>(n).fill(FIXED)),
        {
          random: seededRandom(1),
          pollLagMs,
        },
      );
      expect(waves[0]!.every((r) => !r.planned)).toBe(true);
      const measured = waves.at(-1)!;
      const { calls, lags } = describeRuns(`fixed 15 s, polls ${pollLagMs} ms late`, measured);
      expect(Math.max(...calls)).toBeLessThanOrEqual(4);
      expect(Math.max(...lags)).toBeLessThanOrEqual(1_000);
    }
  });

  it("15 s ±30% jobs in waves: at most 6 calls a job on average, seen within 1.5 s at the median", () => {
    const random = seededRandom(7);
    for (const pollLagMs of [0, 150, 300]) {
      const waves = simulate(
        BENCH_WAVES.map((n) => jittered(n, random)),
        { random: seededRandom(8), pollLagMs },
      );
      const { calls, lags } = describeRuns(`15 s ±30%, polls ${pollLagMs} ms late`, waves.at(-1)!);
      expect(mean(calls)).toBeLessThanOrEqual(6);
      expect(median(lags)).toBeLessThanOrEqual(1_500);
    }
  });

  it("fixed 15 s jobs one after another: at most 4 calls a job, each seen within 1 s of finishing", () => {
    const runs = oneByOne(Array<number>(300).fill(FIXED), { random: seededRandom(1) }).slice(100);
    const { calls, lags } = describeRuns("fixed 15 s, one by one", runs);
    expect(Math.max(...calls)).toBeLessThanOrEqual(4);
    expect(Math.max(...lags)).toBeLessThanOrEqual(1_000);
  });

  it("15 s ±30% jobs one after another: at most 6 calls a job on average, seen within 1.5 s at the median", () => {
    const runs = oneByOne(jittered(600, seededRandom(7)), { random: seededRandom(8) }).slice(100);
    const { calls, lags } = describeRuns("15 s ±30%, one by one", runs);
    expect(mean(calls)).toBeLessThanOrEqual(6);
    expect(median(lags)).toBeLessThanOrEqual(1_500);
  });

  it("follows a reseller that becomes faster", () => {
    const runs = oneByOne([...Array<number>(100).fill(FIXED), ...Array<number>(200).fill(8_000)], {
      random: seededRandom(3),
    });
    const late = runs.slice(-50);
    expect(Math.max(...late.map((r) => r.lagMs))).toBeLessThanOrEqual(1_000);
    expect(Math.max(...late.map((r) => r.calls))).toBeLessThanOrEqual(4);
  });

  it("plans on the close times once there are enough, leaving out the default back-off's wide ones", () => {
    // Found between about 10 and 18.5 s: the middle is a poor guess, seconds early.
    const wide = Array.from({ length: 20 }, (_, i) => ({ ms: 12_000 + i * 200, marginMs: 4_000 }));
    const close = Array.from({ length: MIN_SAMPLES }, (_, i) => ({ ms: 14_800 + i * 40, marginMs: 300 }));
    expect(plannedPollTimes(wide)![0]).toBeLessThan(13_000);
    expect(plannedPollTimes([...wide, ...close.slice(1)])![0]).toBeLessThan(13_000);
    const plan = plannedPollTimes([...wide, ...close])!;
    expect(plan[0]).toBeGreaterThanOrEqual(14_800);
    expect(plan[plan.length - 1]).toBeLessThanOrEqual(16_100);
    // Times from before margins were kept count as wide.
    expect(plannedPollTimes(close.map((c) => ({ ...c, marginMs: null })))).toEqual(
      plannedPollTimes(close.map((c) => ({ ...c, marginMs: 5_000 }))),
    );
  });

  it("planned polls of one job come at least 250 ms apart, however alike the recent times", () => {
    const plan = plannedPollTimes(Array.from({ length: 30 }, () => ({ ms: FIXED, marginMs: 0 })))!;
    expect(plan[0]).toBe(FIXED);
    for (let i = 1; i < plan.length; i++) expect(plan[i]! - plan[i - 1]!).toBeGreaterThanOrEqual(250);
  });

  it("a webhook's arrival is the completion time; a poll's finding is the middle since the last look", () => {
    expect(
      observedDuration({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: 10_000, pushed: true }),
    ).toEqual({ ms: 15_000, marginMs: 0 });
    expect(
      observedDuration({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: 15_500, pushed: false }),
    ).toEqual({ ms: 14_750, marginMs: 250 });
    expect(
      observedDuration({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: null, pushed: false }),
    ).toEqual({ ms: 14_500, marginMs: 500 });
    expect(
      observedDuration({ submittedAt: 1_000, seenAt: 16_000, previousLookAt: 12_000, pushed: false }),
    ).toEqual({ ms: 13_000, marginMs: 2_000 });
  });
});
