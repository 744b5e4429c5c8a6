import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

import type { StressBuild } from "./build-app";

// The production server of the stress build as a child process (`next start`, what `npm start`
// ends in), and a small HTTP client for it: a cookie jar, Auth.js sign-in, and server actions
// called the way the browser calls them.

export interface StudioServer {
  url: string;
  port: number;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL the process group: no shutdown hooks, no goodbyes. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

export async function startStudioServer(
  build: StressBuild,
  env: Record<string, string>,
  options: { port?: number; readyTimeoutMs?: number } = {},
): Promise<StudioServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: build.dir,
      // Its own process group, so a kill reaches anything it started.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        APP_URL: url,
        ...env,
      },
    },
  );
  const chunks: Buffer[] = [];
  child.stdout!.on("data", (c: Buffer) => chunks.push(c));
  child.stderr!.on("data", (c: Buffer) => chunks.push(c));
  const output = () => Buffer.concat(chunks).toString();
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  const server: StudioServer = {
    url,
    port,
    pid: child.pid!,
    output,
    async kill() {
      signalGroup("SIGKILL");
      await exited(child);
    },
    async stop() {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/sign-in`, { redirect: "manual" });
      await response.arrayBuffer();
      if (response.status < 500) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`next start did not answer within the time limit:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A client with its own cookies, like one browser profile. */
export class Client {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", this.cookieHeader());
    const response = await fetch(new URL(pathOrUrl, this.baseUrl), { redirect: "manual", ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  hasSession(): boolean {
    return [...this.cookies.keys()].some((name) => name.endsWith("session-token"));
  }

  /** Auth.js's credentials sign-in, as the browser form would post it. */
  async signIn(email: string, password: string): Promise<boolean> {
    const csrf = await this.fetch("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${this.baseUrl}/create` }),
    });
    await response.arrayBuffer();
    return this.hasSession();
  }
}

export interface ServerAction {
  id: string;
  /** A page that uses the action; Next dispatches the POST from there. */
  page: string;
}

/** Action ids by exported name, from the build's server reference manifest. */
export async function readServerActions(build: StressBuild): Promise<Record<string, ServerAction>> {
  const manifest = JSON.parse(
    await readFile(path.join(build.dir, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { workers: Record<string, unknown>; exportedName: string; filename: string }> };
  const actions: Record<string, ServerAction> = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!entry.filename.includes("server/actions/")) continue;
    const worker = Object.keys(entry.workers)[0]!;
    const page =
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\/\([^)]+\)/g, "") || "/";
    // A dynamic page needs a real segment; Next finds an action by its id from any studio page.
    actions[entry.exportedName] = { id, page: page.includes("[") ? "/create" : page };
  }
  return actions;
}

export interface ActionCall {
  status: number;
  /** The action's return value, when the answer carried one. */
  result: unknown;
  body: string;
  headers: Headers;
}

/** Calls a server action over HTTP as React does: the arguments as a JSON reply, the id in a header. */
export async function callAction(
  client: Client,
  action: ServerAction,
  args: unknown[],
  headers: Record<string, string> = {},
): Promise<ActionCall> {
  const response = await client.fetch(action.page, {
    method: "POST",
    headers: {
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      "next-action": action.id,
      origin: client.baseUrl,
      ...headers,
    },
    body: JSON.stringify(args),
  });
  const body = await response.text();
  return { status: response.status, result: parseActionResult(body), body, headers: response.headers };
}

/** The action's value from a Flight answer: the row after the page header (`1:{...}`). */
function parseActionResult(body: string): unknown {
  for (const line of body.split("\n")) {
    const match = /^1:(.*)$/.exec(line);
    if (!match) continue;
    try {
      return JSON.parse(match[1]!);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
