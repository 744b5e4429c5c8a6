// npm run bench [-- <name>…] – runs the benches (all, or the named ones) against the production
// build and rewrites their sections of bench/results/latest.md. Figures only: nothing here asserts
// a time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";

import { adminJobsList } from "./admin-jobs-list";
import { adminOverview } from "./admin-overview";
import { drainAfterKill } from "./drain-after-kill";
import { firstLoadJs } from "./first-load-js";
import { galleryScaling } from "./gallery-scaling";
import { galleryScroll } from "./gallery-scroll";
import type { Bench, BenchResult } from "./lib/bench";
import { ensureBuild } from "./lib/build";
import { machineInfo } from "./lib/machine";
import { mergeResults, type ResultSection } from "./lib/results-file";
import { providerCalls } from "./provider-calls";
import { statusThroughput } from "./status-throughput";
import { submitOverhead } from "./submit-overhead";
import { timedPolls } from "./timed-polls";
import { timeToPixels } from "./time-to-pixels";
import { uploadPipeline } from "./upload-pipeline";

const BENCHES: Bench[] = [
  submitOverhead,
  statusThroughput,
  providerCalls,
  timedPolls,
  timeToPixels,
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
const results: { bench: Bench; result?: BenchResult; error?: string; seconds: number; load: number }[] = [];

for (const bench of selected) {
  console.info(`\n== ${bench.name} ==`);
  const t0 = Date.now();
  try {
    const result = await bench.run();
    console.info(`\n${result.table}\n\n${result.summary}`);
    results.push({ bench, result, seconds: (Date.now() - t0) / 1000, load: loadavg()[0]! });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`Bench ${bench.name} failed:\n${message}`);
    results.push({
      bench,
      error: message.split("\n").slice(0, 12).join("\n"),
      seconds: (Date.now() - t0) / 1000,
      load: loadavg()[0]!,
    });
  }
}

const header = [
  "# Benchmark results",
  "",
  "Written section by section by `npm run bench [-- <name>…]`: a run rewrites the sections of the " +
    "benches it ran and keeps the others, and each section says when, on which commit and under " +
    "what load it was measured.",
  "",
  `- ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}; each section names the CPU it ran on.`,
  "",
  "Each bench runs against `next start` (production build) on a fresh PostgreSQL database, with the " +
    "local Reve emulator in its own process, unless its section says otherwise. Baselines run in the " +
    "same run, on the same machine.",
].join("\n");
const fresh: ResultSection[] = results.map(({ bench, result, error, seconds, load }) => {
  const run =
    `_\`npm run bench -- ${bench.name}\` on ${started.toISOString().slice(0, 10)}, commit ` +
    `${machine.commit.slice(0, 7)}${machine.dirty ? " with uncommitted changes" : ""}, ${machine.cpu}, 1-minute load average ` +
    `${load.toFixed(1)} on ${machine.cores} cores at its end, ${seconds.toFixed(0)} s._`;
  return result
    ? {
        name: bench.name,
        title: result.title,
        body: `${run}\n\n${result.method}\n\n${result.table}`,
        summary: result.summary,
      }
    : {
        name: bench.name,
        title: bench.name,
        body: `${run}\n\n\`\`\`\n${error ?? ""}\n\`\`\``,
        summary: `${bench.name}: FAILED to run (see its section)`,
      };
});
const file = "bench/results/latest.md";
mkdirSync("bench/results", { recursive: true });
const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
writeFileSync(
  file,
  mergeResults(
    previous,
    fresh,
    BENCHES.map((b) => b.name),
    header,
  ),
);
console.info(`\nWrote the sections of ${selected.map((b) => b.name).join(", ")} in ${file}`);
process.exit(results.some((r) => r.error) ? 1 : 0);
