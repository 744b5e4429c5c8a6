// npm run bench [-- <name>…] – runs the benches (all, or the named ones) against the production
// build and writes bench/results/latest.md. Figures only: nothing here asserts a time.
import { mkdirSync, writeFileSync } from "node:fs";

import { adminJobsList } from "./admin-jobs-list";
import { adminOverview } from "./admin-overview";
import { drainAfterKill } from "./drain-after-kill";
import { firstLoadJs } from "./first-load-js";
import { galleryScaling } from "./gallery-scaling";
import { galleryScroll } from "./gallery-scroll";
import type { Bench, BenchResult } from "./lib/bench";
import { ensureBuild } from "./lib/build";
import { machineInfo } from "./lib/machine";
import { providerCalls } from "./provider-calls";
import { statusThroughput } from "./status-throughput";
import { submitOverhead } from "./submit-overhead";
import { timedPolls } from "./timed-polls";
import { uploadPipeline } from "./upload-pipeline";

const BENCHES: Bench[] = [
  submitOverhead,
  statusThroughput,
  providerCalls,
  timedPolls,
  drainAfterKill,
  galleryScaling,
  galleryScroll,
  firstLoadJs,
  uploadPipeline,
  adminJobsList,
  adminOverview,
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`Unknown bench: ${unknown.join(", ")}. Known: ${BENCHES.map((b) => b.name).join(", ")}.`);
  process.exit(2);
}
const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;

process.env.NEXT_TELEMETRY_DISABLED = "1";
ensureBuild();
const machine = machineInfo();
const started = new Date();
const results: { bench: Bench; result?: BenchResult; error?: string; seconds: number }[] = [];

for (const bench of selected) {
  console.info(`\n== ${bench.name} ==`);
  const t0 = Date.now();
  try {
    const result = await bench.run();
    console.info(`\n${result.table}\n\n${result.summary}`);
    results.push({ bench, result, seconds: (Date.now() - t0) / 1000 });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`Bench ${bench.name} failed:\n${message}`);
    results.push({
      bench,
      error: message.split("\n").slice(0, 12).join("\n"),
      seconds: (Date.now() - t0) / 1000,
    });
  }
}

const lines = [
  "# Benchmark results",
  "",
  `Written by \`npm run bench${wanted.length ? ` -- ${wanted.join(" ")}` : ""}\` on ${started.toISOString()}.`,
  "",
  `- CPU: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB`,
  `- Node ${machine.node}`,
  `- Commit ${machine.commit}${machine.dirty ? " (with uncommitted changes)" : ""}`,
  "",
  "Each bench runs against `next start` (production build) on a fresh PostgreSQL database, with the " +
    "local Reve emulator in its own process. Baselines run in the same run, on the same machine.",
  "",
  "## Summary",
  "",
  ...results.map((r) => `- ${r.result ? r.result.summary : `${r.bench.name}: FAILED to run (see below)`}`),
];
for (const r of results) {
  lines.push("", `## ${r.result?.title ?? r.bench.name}`, "");
  if (r.result) lines.push(r.result.method, "", r.result.table, "", `**${r.result.summary}**`);
  else lines.push("```", r.error ?? "", "```");
  lines.push("", `_${r.seconds.toFixed(0)} s_`);
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.md", `${lines.join("\n")}\n`);
console.info("\nWrote bench/results/latest.md");
process.exit(results.some((r) => r.error) ? 1 : 0);
