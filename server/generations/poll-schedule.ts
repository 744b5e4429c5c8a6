// When to ask a reseller about a job next. Each reseller and operation has its own recent
// completion times (the last WINDOW jobs, from the database); once there are MIN_SAMPLES of them,
// a job is polled first near the early quantile, then in close steps around the median, and only
// then on the usual back-off. Before that, and for jobs that expect a webhook, the defaults hold.
// Pure functions: the simulation in tests/unit/poll-schedule.test.ts drives them with a fake clock.

/** How many recent completions make the window. */
export const WINDOW = 50;
/** Fewer completions than this and the default back-off holds. */
export const MIN_SAMPLES = 10;
/** Where in the window the planned polls fall: early first, then tightly around the median. */
export const PLAN_QUANTILES = [0.1, 0.3, 0.45, 0.55, 0.7, 0.85] as const;
/** Two planned polls are at least this far apart. */
export const MIN_STEP_MS = 250;
/** A poll that finds a job done says it ended since the previous look, but at most this long ago. */
export const MAX_UNCERTAINTY_MS = 1_000;
/**
 * A completion time is close when its margin is within a second or this share of it. The default
 * back-off's polls are seconds apart (a 15 s job is found between about 10 and 18 s), so its
 * times only start a plan; once MIN_SAMPLES close ones exist, the wide ones are left out.
 */
export const CLOSE_SHARE = 0.1;

/** One completion time: how long the job took (ms after the submit) and how far off that may be. */
export interface CompletionSample {
  ms: number;
  /** Half the interval the job ended in; 0 for a webhook, null when not recorded. */
  marginMs: number | null;
}

/** The delay before the next poll on the back-off: from about `minMs` growing to `maxMs`, ±20%. */
export function nextPollDelay(attempt: number, minMs: number, maxMs: number, random = Math.random) {
  const base = Math.min(maxMs, minMs * 1.6 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The `q` quantile of sorted values, interpolated. */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** Whether a completion time is known closely enough to plan on by itself. */
export function isClose({ ms, marginMs }: CompletionSample): boolean {
  return marginMs !== null && marginMs <= Math.max(MAX_UNCERTAINTY_MS, ms * CLOSE_SHARE);
}

/**
 * The planned poll times, in ms after the submit, from recent completion times; null without
 * enough: the close times alone once there are MIN_SAMPLES of them, else all.
 */
export function plannedPollTimes(samples: readonly CompletionSample[]): number[] | null {
  if (samples.length < MIN_SAMPLES) return null;
  const close = samples.filter(isClose);
  const used = close.length >= MIN_SAMPLES ? close : samples;
  const sorted = used.map((s) => s.ms).sort((a, b) => a - b);
  const times: number[] = [];
  for (const q of PLAN_QUANTILES) {
    const previous = times[times.length - 1];
    times.push(
      previous === undefined ? quantile(sorted, q) : Math.max(quantile(sorted, q), previous + MIN_STEP_MS),
    );
  }
  return times.map(Math.round);
}

export interface ScheduleInput {
  /** ms since the provider took the job. */
  elapsedMs: number;
  /** Polls made so far. */
  attempts: number;
  plan: number[] | null;
  minMs: number;
  maxMs: number;
  random?: () => number;
}

/** The delay before the next poll: the next planned time still ahead, else the back-off. */
export function scheduledPollDelay({
  elapsedMs,
  attempts,
  plan,
  minMs,
  maxMs,
  random,
}: ScheduleInput): number {
  if (!plan) return nextPollDelay(attempts, minMs, maxMs, random);
  const next = plan.find((at) => at > elapsedMs + MIN_STEP_MS / 2);
  if (next !== undefined) return next - elapsedMs;
  // Past the plan (a slow job): the back-off resumes from its first step.
  const beyond = Math.max(0, attempts - plan.length);
  return nextPollDelay(beyond, minMs, maxMs, random);
}

/**
 * How long a job took, as far as the studio can tell, and how far off that may be. A webhook
 * arrives as the job finishes. A poll that finds it done says it ended since the previous look: the
 * middle of that interval, give or take half of it. When the first poll finds it done, the interval
 * is cut to MAX_UNCERTAINTY_MS, so that the next plan moves a little earlier instead of to half
 * the time.
 */
export function observedDuration(input: {
  submittedAt: number;
  seenAt: number;
  previousLookAt: number | null;
  pushed: boolean;
}): CompletionSample {
  const { submittedAt, seenAt } = input;
  if (input.pushed) return { ms: Math.max(0, Math.round(seenAt - submittedAt)), marginMs: 0 };
  const lower =
    input.previousLookAt === null
      ? Math.max(submittedAt, seenAt - MAX_UNCERTAINTY_MS)
      : Math.max(input.previousLookAt, submittedAt);
  const endedAt = (lower + seenAt) / 2;
  return {
    ms: Math.max(0, Math.round(endedAt - submittedAt)),
    marginMs: Math.max(0, Math.round((seenAt - lower) / 2)),
  };
}
