// The production build every bench and the scale test serve: built once, again only when a source
// changed since, by the rule `npm start` uses (scripts/needs-build.ts).
import { spawnSync } from "node:child_process";

import { needsBuild } from "../../scripts/needs-build";

export const NEXT_BIN = "node_modules/next/dist/bin/next";

const OTHER_BUILD = /Another next build process is already running/;

/**
 * Builds with `next build` when needed; throws with the build's last output when it fails. When
 * another build holds Next's build lock (an `npm start` elsewhere), waits for it and checks again.
 */
export function ensureBuild(log: (line: string) => void = console.info, waitMs = 300_000): void {
  const deadline = Date.now() + waitMs;
  while (needsBuild()) {
    log("Building the studio (no build yet, or sources changed)…");
    const started = Date.now();
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${build.stdout ?? ""}${build.stderr ?? ""}`;
    if (build.status === 0) {
      log(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
      return;
    }
    if (!OTHER_BUILD.test(output) || Date.now() > deadline) {
      throw new Error(
        `next build failed (exit ${build.status}):\n${output.split("\n").slice(-40).join("\n")}`,
      );
    }
    log("Another next build is running; waiting for it…");
    spawnSync("sleep", ["5"]);
  }
}
