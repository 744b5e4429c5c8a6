// npm start – the whole studio from one command: secrets, migrations, a build when the sources
// changed, the local Reve emulator when no reseller key is set, then `next start`.
// `npm run dev` does the same with `next dev`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { needsBuild } from "./needs-build";

const dev = process.argv.includes("--dev");
let stopping = false;
if (existsSync(".env")) process.loadEnvFile(".env");
process.env.NEXT_TELEMETRY_DISABLED = "1";

const port = Number(process.env.PORT ?? 3000);
process.env.APP_URL ??= `http://localhost:${port}`;
const dataDir = resolve(process.env.DATA_DIR ?? "./data");
mkdirSync(dataDir, { recursive: true });

ensureSecrets(join(dataDir, "secrets.json"), ["AUTH_SECRET", "MEDIA_SIGNING_SECRET"]);

// Imported only now: server/env.ts parses process.env when it loads.
const { env, usesEmulator } = await import("@/server/env");
await runMigrations();

const children: ChildProcess[] = [];
if (usesEmulator(env)) {
  const emulatorUrl = `http://127.0.0.1:${env.EMULATOR_PORT}`;
  children.push(
    spawnNode(["--import", "tsx", "emulator/main.ts"], { EMULATOR_PORT: String(env.EMULATOR_PORT) }),
  );
  await waitFor(`${emulatorUrl}/__emulator/health`, "the Reve emulator");
  console.info(`No reseller keys set: every provider is served by the local emulator at ${emulatorUrl}.`);
}

const nextBin = "node_modules/next/dist/bin/next";
if (!dev && needsBuild()) {
  console.info("Building the studio (first start or sources changed)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) shutdown(build.status ?? 1);
}
// Next behind our own node:http server, which decides the client address the app sees (serve.mjs).
const server = spawnNode(["scripts/serve.mjs", ...(dev ? ["--dev"] : []), "-p", String(port)], {});
children.push(server);
console.info(`Reve Studio on ${env.APP_URL}`);

for (const child of children) {
  child.on("exit", (code) => shutdown(code ?? 1));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => shutdown(0));
}

function spawnNode(args: string[], extraEnv: Record<string, string>) {
  return spawn(process.execPath, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
}

function shutdown(code: number): never {
  if (!stopping) {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  }
  process.exit(code);
}

/** Keeps generated secrets in the data folder, so sessions survive restarts of the embedded studio. */
function ensureSecrets(file: string, names: string[]) {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length === 0) return;
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  for (const name of missing) stored[name] ??= randomBytes(32).toString("base64url");
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  for (const name of missing) process.env[name] = stored[name];
}

async function runMigrations() {
  const { migrate } = await import("@/server/db/migrate");
  const { openPGlite, pgliteDirFor, pgliteExecutor, postgresExecutor } =
    await import("@/server/db/sql-executor");
  // PGlite admits one opener per folder: this one closes before the server opens it.
  const target = env.DATABASE_URL
    ? await postgresExecutor(env.DATABASE_URL)
    : pgliteExecutor(openPGlite(env.PGLITE_DIR ?? pgliteDirFor(env.DATA_DIR)), { owned: true });
  try {
    const { applied } = await migrate(target);
    if (applied.length) console.info(`Applied migrations: ${applied.join(", ")}`);
  } finally {
    await target.close();
  }
}

// Returns as soon as `url` answers; the limit only guards against a child that never comes up, and
// is wide because a busy two-core machine can take tens of seconds to start a TypeScript child.
async function waitFor(url: string, what: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.error(`Timed out waiting for ${what} at ${url}.`);
  shutdown(1);
}
