// Timed polls: provider calls per job and how late the studio sees a job done, polling only, once
// the reseller has a history. Per mode, in waves submitted at once: 12 jobs on the default back-off,
// two waves of 15 planned from what came before (the first from the defaults' wide times, the next
// from close ones), then 30 measured. Every job carries its duration in its prompt
// (`[emu:slow=N]`), 15 s fixed or 15 s ±30% (seeded).
import type { LoggedRequest } from "@/emulator/server";

import { forEachLimit, type Bench, type BenchResult } from "./lib/bench";
import { freePort } from "./lib/ports";
import { seededRandom } from "./lib/seeded-random";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, percentile, verdict } from "./lib/stats";
import { callAction, createUsers, findAction, signIn } from "./lib/studio-client";
import { waitFor } from "./lib/wait";

const JOB_MS = 15_000;
const HISTORY_WAVES = [12, 15, 15];
const MEASURED = 30;
const TARGETS = { fixed: { calls: 4, lagMs: 1_000 }, jittered: { calls: 6, lagMs: 1_500 } } as const;

const isApiframeStatus = (r: LoggedRequest) =>
  r.method === "GET" && r.provider === "apiframe" && /^\/v2\/jobs\/[^/]+$/.test(r.path);
const isApiframeSubmit = (r: LoggedRequest) =>
  r.method === "POST" && r.provider === "apiframe" && r.path === "/v2/images/generate";
const promptOf = (r: LoggedRequest) =>
  typeof r.body === "object" && r.body !== null && "prompt" in r.body ? String(r.body.prompt) : "";

interface Figures {
  callsPerJob: number;
  maxCalls: number;
  /** The status call that found the job done, after the job's end (both on the emulator's clock). */
  seenP50: number;
  seenMax: number;
  /** The job stored as done (its images downloaded and thumbnailed), after the job's end. */
  storedP50: number;
  storedMax: number;
}

async function runMode(mode: "fixed" | "jittered"): Promise<Figures> {
  const random = seededRandom(mode === "fixed" ? 1 : 7);
  const duration = () => (mode === "fixed" ? JOB_MS : Math.round(JOB_MS * (0.7 + 0.6 * random())));
  const stack = await startBenchStack(`timed_${mode}`, {
    port: await freePort(),
    emulatorEnv: { EMULATOR_JOB_MS: String(JOB_MS) },
    env: { WEBHOOKS_ENABLED: "false" },
  });
  try {
    const { db, studio, emulator } = stack;
    const [user] = await createUsers(db.db, 1, 1_000);
    const cookie = await signIn(studio.url, user!.email);
    const create = findAction("server/actions/create-image.ts", "createImage");
    const wave = async (label: string, count: number) => {
      const jobs: { id: string; tag: string; durationMs: number }[] = [];
      await forEachLimit(
        Array.from({ length: count }, (_, i) => i),
        5,
        async (i) => {
          const durationMs = duration();
          const tag = `timed-${mode}-${label}-${i}`;
          const input = {
            prompt: `${tag} [emu:slow=${durationMs}]`,
            aspectRatio: "1:1",
            provider: "apiframe",
          };
          const { outcome } = await callAction<{ generationId: string }>(studio.url, create, [input], cookie);
          if (!outcome.ok) throw new Error(`Submit failed: ${outcome.error.message}`);
          jobs.push({ id: outcome.data.generationId, tag, durationMs });
        },
      );
      await waitFor(
        `${count} jobs to finish`,
        async () =>
          (await db.db.generation.count({
            where: { id: { in: jobs.map((j) => j.id) }, completedAt: null },
          })) === 0
            ? true
            : undefined,
        JOB_MS * 2 + 120_000,
        500,
      );
      return jobs;
    };
    for (const [i, count] of HISTORY_WAVES.entries()) await wave(`history${i}`, count);
    await emulator.clearRequests();
    const measured = await wave("measured", MEASURED);
    const rows = await db.db.generation.findMany({
      where: { id: { in: measured.map((j) => j.id) } },
      select: { id: true, providerJobId: true, submittedAt: true, completedAt: true },
    });
    const log = await emulator.requests();
    const statusCalls = new Map<string, LoggedRequest[]>();
    for (const r of log.filter(isApiframeStatus)) {
      const id = r.path.split("/").pop()!;
      statusCalls.set(id, [...(statusCalls.get(id) ?? []), r]);
    }
    const submits = log.filter(isApiframeSubmit);
    const perJob = rows.map((row) => {
      const job = measured.find((j) => j.id === row.id)!;
      const submit = submits.find((r) => promptOf(r).startsWith(`${job.tag} `));
      if (!submit) throw new Error(`No submit of ${job.tag} in the emulator's log.`);
      // The emulator starts the job's clock while it answers the submit.
      const endedAt = submit.startedAt + job.durationMs;
      const calls = statusCalls.get(row.providerJobId!) ?? [];
      const seen = calls.find((c) => c.startedAt >= endedAt);
      if (!seen) throw new Error(`No status call of ${job.tag} after it ended.`);
      return {
        calls: calls.length,
        seenMs: seen.endedAt - endedAt,
        // The studio's clock: completion minus (provider took the job + its duration).
        storedMs: row.completedAt!.getTime() - row.submittedAt!.getTime() - job.durationMs,
      };
    });
    const seen = perJob.map((j) => j.seenMs);
    const stored = perJob.map((j) => j.storedMs);
    return {
      callsPerJob: perJob.reduce((s, j) => s + j.calls, 0) / perJob.length,
      maxCalls: Math.max(...perJob.map((j) => j.calls)),
      seenP50: percentile(seen, 50),
      seenMax: Math.max(...seen),
      storedP50: percentile(stored, 50),
      storedMax: Math.max(...stored),
    };
  } finally {
    await stack.close();
  }
}

async function run(): Promise<BenchResult> {
  const fixed = await runMode("fixed");
  const jittered = await runMode("jittered");
  const met =
    fixed.maxCalls <= TARGETS.fixed.calls &&
    fixed.seenMax <= TARGETS.fixed.lagMs &&
    jittered.callsPerJob <= TARGETS.jittered.calls &&
    jittered.seenP50 <= TARGETS.jittered.lagMs;
  const s = (ms: number) => fmt(ms / 1000, 2);
  const row = (label: string, f: Figures) => [
    label,
    fmt(f.callsPerJob, 2),
    f.maxCalls,
    s(f.seenP50),
    s(f.seenMax),
    s(f.storedP50),
    s(f.storedMax),
  ];
  return {
    title: "Timed polls: provider calls and lateness per job, polling only",
    method:
      `Apiframe creates through the server action, webhooks off, one instance. Waves submitted at once: ` +
      `${HISTORY_WAVES.join(", ")} jobs make the history, then ${MEASURED} are measured. Calls: status calls ` +
      "in the emulator's log. Seen late: the end of the status call that found the job done minus the job's " +
      "end (its submit's arrival + its duration), both on the emulator's clock. Stored late: completedAt − " +
      "submittedAt − the duration, on the studio's clock (after the download and thumbnail).",
    table: markdownTable(
      [
        "durations",
        "calls per job",
        "most calls",
        "seen late p50 s",
        "seen late max s",
        "stored late p50 s",
        "stored late max s",
      ],
      [row("15 s fixed", fixed), row("15 s ±30%", jittered)],
    ),
    summary:
      `Timed polls: fixed 15 s at most ${fixed.maxCalls} calls a job (${fmt(fixed.callsPerJob, 2)} on average), ` +
      `every job seen ≤ ${s(fixed.seenMax)} s late (targets ≤ 4, ≤ 1 s); ±30% ${fmt(jittered.callsPerJob, 2)} calls, ` +
      `seen p50 ${s(jittered.seenP50)} s (targets ≤ 6, ≤ 1.5 s): ${verdict(met)}`,
    targetsMet: met,
  };
}

export const timedPolls: Bench = { name: "timedpolls", run };
