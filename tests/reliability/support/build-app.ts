import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import type { TestProject } from "vitest/node";

// Vitest global setup of `npm run test:stress`: one production build that every stress test
// serves. It is built from a copy of the sources under data/stress-build, so it never races with
// the `.next` that `npm start` and Playwright build, and with recognizable sentinel secrets in the
// environment, so the secrets test can look for them in what the build wrote. The copy sits inside
// the repository so that node_modules and Turbopack's workspace root are the repository's own.

export const BUILD_ROOT = path.resolve("data/stress-build");
const SOURCES = [
  "app",
  "components",
  "hooks",
  "lib",
  "server",
  "types",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.ts",
  "package.json",
  "tsconfig.json",
  "postcss.config.mjs",
];

export interface StressBuild {
  /** The folder to run `next start` in. */
  dir: string;
  /** Secret values the build ran with, by variable name. */
  sentinels: Record<string, string>;
  /** Seconds the build took, 0 when an identical earlier build was reused. */
  buildSeconds: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    stressBuild: StressBuild;
  }
}

/** Secrets shaped like the real ones, each with a marker no code or library would contain. */
function makeSentinels(): Record<string, string> {
  const s = (name: string) => `SENTINEL_${name}_${randomBytes(16).toString("hex")}`;
  return {
    AUTH_SECRET: s("AUTH"),
    MEDIA_SIGNING_SECRET: s("MEDIA"),
    PIXAZO_API_KEY: s("KEY_PIXAZO"),
    APIFRAME_API_KEY: s("KEY_APIFRAME"),
    REVE2IMG_API_KEY: s("KEY_REVE2IMG"),
    REVEART_API_KEY: s("KEY_REVEART"),
    AUTH_GITHUB_SECRET: s("GITHUB"),
    AUTH_GOOGLE_SECRET: s("GOOGLE"),
    S3_SECRET_ACCESS_KEY: s("S3"),
  };
}

async function sourceHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const source of SOURCES) {
    const full = path.resolve(source);
    const info = await stat(full).catch(() => null);
    if (!info) continue;
    const files = info.isDirectory()
      ? (await readdir(full, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => path.join(e.parentPath, e.name))
          .sort()
      : [full];
    for (const file of files) {
      hash.update(path.relative(process.cwd(), file));
      hash.update(await readFile(file));
    }
  }
  return hash.digest("hex");
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      const output = Buffer.concat(chunks).toString();
      writeFile(options.log, output)
        .catch(() => undefined)
        .finally(() => {
          if (code === 0) resolve();
          else reject(new Error(`next build failed (exit ${code}):\n${output.slice(-4000)}`));
        });
    });
  });
}

export default async function setup(project: TestProject) {
  const hash = await sourceHash();
  const manifest = path.join(BUILD_ROOT, "build.json");
  const previous = await readFile(manifest, "utf8")
    .then((text) => JSON.parse(text) as { hash: string; sentinels: Record<string, string> })
    .catch(() => null);
  const built = await stat(path.join(BUILD_ROOT, ".next", "BUILD_ID")).catch(() => null);

  let sentinels = previous?.sentinels ?? makeSentinels();
  let buildSeconds = 0;
  if (!previous || previous.hash !== hash || !built) {
    sentinels = makeSentinels();
    const started = Date.now();
    // Fresh sources each time; .next stays, so Turbopack's cache can speed up a rebuild.
    await mkdir(BUILD_ROOT, { recursive: true });
    for (const source of SOURCES) await rm(path.join(BUILD_ROOT, source), { recursive: true, force: true });
    for (const source of SOURCES) {
      const from = path.resolve(source);
      if (await stat(from).catch(() => null))
        await cp(from, path.join(BUILD_ROOT, source), { recursive: true });
    }
    await rm(manifest, { force: true });
    await run(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
      cwd: BUILD_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        ...sentinels,
        // Keys being set must not switch the build to anything but the embedded defaults.
        REVE_EMULATOR: "on",
        AUTH_GITHUB_ID: "stress-github-id",
        AUTH_GOOGLE_ID: "stress-google-id",
      },
      log: path.join(BUILD_ROOT, "build.log"),
    });
    buildSeconds = Math.round((Date.now() - started) / 1000);
    await writeFile(manifest, JSON.stringify({ hash, sentinels }, null, 2));
  }
  console.info(
    buildSeconds
      ? `stress build: next build of the current sources in ${buildSeconds} s (${BUILD_ROOT})`
      : `stress build: reusing the build of identical sources in ${BUILD_ROOT}`,
  );
  project.provide("stressBuild", { dir: BUILD_ROOT, sentinels, buildSeconds });
}
