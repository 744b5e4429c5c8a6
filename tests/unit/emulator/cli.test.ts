import { spawn } from "node:child_process";
import { once } from "node:events";

import { describe, expect, it } from "vitest";

// The emulator as its own process, the way `npm run emulator` starts it.

function launch(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

describe("emulator CLI", () => {
  it("prints its URL, serves, and exits cleanly on SIGTERM", async () => {
    const { child, out } = launch({ EMULATOR_PORT: "0", EMULATOR_JOB_MS: "100" });
    try {
      const deadline = Date.now() + 20_000;
      while (
        !/listening on http:\/\/127\.0\.0\.1:\d+/.test(out()) &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = /Reve emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out())?.[1];
      expect(url).toBeDefined();
      const health = await fetch(`${url}/__emulator/health`);
      expect(health.status).toBe(200);
      const denied = await fetch(`${url}/apiframe/v2/jobs/x`, {
        headers: { "X-API-Key": "wrong-key-value" },
      });
      expect(denied.status).toBe(401);
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      // The request line is printed, never the key that came with it.
      expect(out()).toContain("GET /apiframe/v2/jobs/x 401");
      expect(out()).not.toContain("wrong-key-value");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses to start with a malformed variable, naming it", async () => {
    const { child, err } = launch({ EMULATOR_PORT: "0", EMULATOR_FAIL_RATE: "2" });
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(1);
    expect(err()).toContain("EMULATOR_FAIL_RATE");
  });
});
