// Status route throughput: requests per second of GET /api/generations/<id> for a signed-in owner
// and a finished job, against a bare Node server answering the very same JSON bytes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { load, type LoadResult } from "./lib/autocannon";
import { startBareServer } from "./lib/bare-process";
import type { Bench, BenchResult } from "./lib/bench";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, verdict } from "./lib/stats";
import { callAction, createUsers, findAction, signIn, timedRequest } from "./lib/studio-client";
import { waitFor } from "./lib/wait";

const CONNECTIONS = 32;
const SECONDS = 10;
const ROUNDS = 2;
const TARGET_RATIO = 0.5;

async function run(): Promise<BenchResult> {
  const stack = await startBenchStack("status", {
    env: { WEBHOOKS_ENABLED: "false", POLLER_INTERVAL_MS: "200" },
  });
  try {
    const [user] = await createUsers(stack.db.db, 1, 100);
    const cookie = await signIn(stack.studio.url, user!.email);
    const action = findAction("server/actions/create-image.ts", "createImage");
    const { outcome } = await callAction<{ generationId: string }>(
      stack.studio.url,
      action,
      [{ prompt: "a lighthouse at dusk", aspectRatio: "16:9", provider: "auto" }],
      cookie,
    );
    if (!outcome.ok) throw new Error(`Submit failed: ${outcome.error.message}`);
    const statusUrl = `${stack.studio.url}/api/generations/${outcome.data.generationId}`;
    const body = await waitFor(
      "the job to succeed",
      async () => {
        const answer = await timedRequest(statusUrl, { headers: { cookie } });
        return (JSON.parse(answer.body) as { status: string }).status === "succeeded"
          ? answer.body
          : undefined;
      },
      60_000,
    );
    const bodyFile = join(stack.dataDir, "status.json");
    writeFileSync(bodyFile, body);
    const bare = await startBareServer("json", bodyFile);
    try {
      const targets = [
        { label: "bare Node JSON", url: bare.url, headers: {} as Record<string, string> },
        { label: "studio status route", url: statusUrl, headers: { cookie } },
        // The same route signed out: Next's routing and Auth.js reading no cookie, no database.
        // Shows how much of the gap is the framework's floor rather than the route's own work.
        { label: "same route, signed out (401)", url: statusUrl, headers: {} as Record<string, string> },
      ];
      for (const target of targets) await load(target.url, 3, CONNECTIONS, target.headers);
      const results = new Map<string, LoadResult[]>(targets.map((t) => [t.label, []]));
      // Alternating rounds, so drift in the machine's load falls on both sides alike.
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of targets) {
          results.get(target.label)!.push(await load(target.url, SECONDS, CONNECTIONS, target.headers));
        }
      }
      const summary = (label: string) => {
        const rounds = results.get(label)!;
        const mean = (pick: (r: LoadResult) => number) =>
          rounds.reduce((s, r) => s + pick(r), 0) / rounds.length;
        return {
          rps: mean((r) => r.rps),
          p50: mean((r) => r.p50Ms),
          p99: mean((r) => r.p99Ms),
          failed: mean((r) => r.failed),
        };
      };
      const bareFigures = summary(targets[0]!.label);
      const studioFigures = summary(targets[1]!.label);
      if (studioFigures.failed > 0) throw new Error(`${studioFigures.failed} status requests failed.`);
      const ratio = studioFigures.rps / bareFigures.rps;
      const met = ratio >= TARGET_RATIO;
      return {
        title: "Status route throughput",
        method:
          `autocannon, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s per target after a ` +
          `3 s warm-up; the bare server answers the same ${body.length}-byte JSON the studio returns.`,
        table: markdownTable(
          ["target", "req/s", "× bare", "latency p50 ms", "latency p99 ms", "non-2xx"],
          targets.map((t) => {
            const f = summary(t.label);
            return [
              t.label,
              fmt(f.rps, 0),
              fmt(f.rps / bareFigures.rps, 3),
              fmt(f.p50),
              fmt(f.p99),
              f.failed,
            ];
          }),
        ),
        summary:
          `Status route: ${fmt(studioFigures.rps, 0)} req/s vs bare Node ${fmt(bareFigures.rps, 0)} req/s = ` +
          `${fmt(ratio, 3)}× (target ≥ ${TARGET_RATIO}×: ${verdict(met)}); the route signed out, Next's floor, ` +
          `does ${fmt(summary(targets[2]!.label).rps, 0)} req/s.`,
        targetsMet: met,
      };
    } finally {
      await bare.stop();
    }
  } finally {
    await stack.close();
  }
}

export const statusThroughput: Bench = { name: "status", run };
