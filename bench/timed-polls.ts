// Timed polls: provider calls per job and how late the studio sees a job done, polling only, once
// the reseller has a history. Per mode: 12 jobs make the history, then 30 jobs are measured; every
// job carries its duration in its prompt (`[emu:slow=N]`), 15 s fixed or 15 s ±30% (seeded).
import type { LoggedRequest } from "@/emulator/server";

import { forEachLimit, type Bench, type BenchResult } from "./lib/bench";
import { freePort } from "./lib/ports";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, percentile, verdict } from "./lib/stats";
import { callAction, createUsers, findAction, signIn } from "./lib/studio-client";
import { waitFor } from "./lib/wait";

const JOB_MS = 15_000;
const HISTORY = 12;
const MEASURED = 30;
const TARGETS = { fixed: { calls: 4, lagMs: 1_000 }, jittered: { calls: 6, lagMs: 1_500 } } as const;

const isApiframeStatus = (r: LoggedRequest) =>
  r.method === "GET" && r.provider === "apiframe" && /^\/v2\/jobs\/[^/]+$/.test(r.path);

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Figures {
  callsPerJob: number;
  maxCalls: number;
  lagP50: number;
  lagMax: number;
}

async function runMode(mode: "fixed" | "jittered"): Promise<Figures> {
  const random = seeded(mode === "fixed" ? 1 : 7);
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
    const wave = async (count: number) => {
      const jobs: { id: string; durationMs: number }[] = [];
      await forEachLimit(
        Array.from({ length: count }, (_, i) => i),
        5,
        async (i) => {
          const durationMs = duration();
          const input = {
            prompt: `timed ${i} [emu:slow=${durationMs}]`,
            aspectRatio: "1:1",
            provider: "apiframe",
          };
          const { outcome } = await callAction<{ generationId: string }>(studio.url, create, [input], cookie);
          if (!outcome.ok) throw new Error(`Submit failed: ${outcome.error.message}`);
          jobs.push({ id: outcome.data.generationId, durationMs });
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
    await wave(HISTORY);
    await emulator.clearRequests();
    const measured = await wave(MEASURED);
    const rows = await db.db.generation.findMany({
      where: { id: { in: measured.map((j) => j.id) } },
      select: { id: true, providerJobId: true, submittedAt: true, completedAt: true, status: true },
    });
    const calls = new Map<string, number>();
    for (const r of (await emulator.requests()).filter(isApiframeStatus)) {
      const id = r.path.split("/").pop()!;
      calls.set(id, (calls.get(id) ?? 0) + 1);
    }
    // Seen late by: completion in the database minus (provider took the job + its duration).
    const lags = rows.map((r) => {
      const job = measured.find((j) => j.id === r.id)!;
      return r.completedAt!.getTime() - r.submittedAt!.getTime() - job.durationMs;
    });
    const perJob = rows.map((r) => calls.get(r.providerJobId!) ?? 0);
    return {
      callsPerJob: perJob.reduce((s, n) => s + n, 0) / perJob.length,
      maxCalls: Math.max(...perJob),
      lagP50: percentile(lags, 50),
      lagMax: Math.max(...lags),
    };
  } finally {
    await stack.close();
  }
}

async function run(): Promise<BenchResult> {
  const fixed = await runMode("fixed");
  const jittered = await runMode("jittered");
  const met =
    fixed.callsPerJob <= TARGETS.fixed.calls &&
    fixed.lagMax <= TARGETS.fixed.lagMs &&
    jittered.callsPerJob <= TARGETS.jittered.calls &&
    jittered.lagP50 <= TARGETS.jittered.lagMs;
  const row = (label: string, f: Figures) => [
    label,
    fmt(f.callsPerJob, 2),
    f.maxCalls,
    fmt(f.lagP50 / 1000, 2),
    fmt(f.lagMax / 1000, 2),
  ];
  return {
    title: "Timed polls: provider calls and lateness per job, polling only",
    method:
      `Apiframe creates through the server action, webhooks off, one instance. ${HISTORY} jobs make the history, ` +
      `then ${MEASURED} are measured: status calls from the emulator's log; late = completedAt − submittedAt − ` +
      "the job's duration (the submit's own round trip makes it a few ms optimistic).",
    table: markdownTable(
      ["durations", "calls per job", "most calls", "seen late p50 s", "seen late max s"],
      [row("15 s fixed", fixed), row("15 s ±30%", jittered)],
    ),
    summary:
      `Timed polls: fixed 15 s ${fmt(fixed.callsPerJob, 2)} calls a job, seen ≤ ${fmt(fixed.lagMax / 1000, 2)} s late ` +
      `(targets ≤ 4, ≤ 1 s); ±30% ${fmt(jittered.callsPerJob, 2)} calls, p50 ${fmt(jittered.lagP50 / 1000, 2)} s ` +
      `(targets ≤ 6, ≤ 1.5 s): ${verdict(met)}`,
    targetsMet: met,
  };
}

export const timedPolls: Bench = { name: "timedpolls", run };
