import { spawn, type ChildProcess } from "node:child_process";

// A child process this run started and stops by its own PID, with the tail of its output kept for
// failure messages.

export interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  /** The last lines the child printed (stdout and stderr). */
  output(): string;
  exited(): boolean;
  /** Resolves with the exit code (or signal) once the child is gone. */
  readonly exit: Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

// Only what a Node server needs from the parent: nothing of the parent's app config leaks in.
const PASSED_THROUGH = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "SystemRoot"];

export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export function spawnNode(
  args: string[],
  env: Record<string, string>,
  options: { label: string; echo?: boolean; keepLines?: number },
): Child {
  // Next declares NODE_ENV as required on ProcessEnv; `next start` sets it itself.
  const child = spawn(process.execPath, args, {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`${options.label} did not start.`);
  const pid = child.pid;
  const lines: string[] = [];
  const keep = options.keepLines ?? 200;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (options.echo) console.info(`[${options.label}] ${line}`);
    }
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let gone = false;
  const exit = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      gone = true;
      resolve(signal ?? String(code));
    });
  });
  return {
    pid,
    process: child,
    output: () => lines.join("\n"),
    exited: () => gone,
    exit,
    async stop(graceMs = 10_000) {
      if (gone) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it returns true, the child exits, or the time is up; bounded either way. */
export async function waitUntil(
  child: Child,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${what} exited before it was ready:\n${child.output()}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${child.output()}`);
}
