import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";

import type { PrismaClient } from "@/server/db/generated/client";
import { hashPassword } from "@/server/auth/password";
import { grantCredits } from "@/server/credits/ledger";

// What a signed-in browser does, over plain HTTP: sign in through Auth.js's credentials callback,
// then call server actions by the id the build gave them (the `Next-Action` header).

export const BENCH_PASSWORD = "bench password that is long enough";

export interface BenchUser {
  id: string;
  email: string;
}

/** Users created straight in the database, with credits; one password hash serves them all. */
export async function createUsers(
  db: PrismaClient,
  count: number,
  credits: number,
  tag = "bench",
): Promise<BenchUser[]> {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${tag}-${i}-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const user = await db.user.create({ data: { email, passwordHash }, select: { id: true } });
    await grantCredits(db, { userId: user.id, amount: credits, idempotencyKey: `bench-grant:${user.id}` });
    users.push({ id: user.id, email });
  }
  return users;
}

function cookiePairs(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** Signs in with email and password; returns the Cookie header of the session. */
export async function signIn(baseUrl: string, email: string, password = BENCH_PASSWORD): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = cookiePairs(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies.join("; ") },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${baseUrl}/create` }),
  });
  const session = cookiePairs(response).find((c) => /^(__Secure-)?authjs\.session-token=/.test(c));
  if (!session) throw new Error(`Sign-in of ${email} failed: ${response.status}, no session cookie.`);
  return session;
}

export interface ActionRef {
  id: string;
  /** A page that imports the action, to post it to. */
  path: string;
}

/** The id and page of a server action in the current build, from its server reference manifest. */
export function findAction(filename: string, exportedName: string): ActionRef {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename !== filename || entry.exportedName !== exportedName) continue;
    const worker = Object.keys(entry.workers)[0];
    if (!worker) break;
    const path =
      worker
        .replace(/^app/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, "") || "/";
    return { id, path };
  }
  throw new Error(`Server action ${exportedName} (${filename}) is not in this build.`);
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface TimedResponse {
  status: number;
  body: string;
  /** Date.now() just before the request was written. */
  sentAt: number;
  /** performance.now() at send, at the response's headers, and at its end. */
  t0: number;
  tHeaders: number;
  tEnd: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A connection of its own, closed after the answer, instead of a kept-alive one. */
  fresh?: boolean;
}

/** One HTTP request (on a keep-alive connection unless `fresh`), timed on this process's clocks. */
export function timedRequest(url: string, options: RequestOptions = {}): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const headers = options.fresh ? { ...options.headers, connection: "close" } : options.headers;
    const through = options.fresh ? false : agent;
    const req = request(url, { method: options.method ?? "GET", headers, agent: through }, (res) => {
      const tHeaders = performance.now();
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          sentAt,
          t0,
          tHeaders,
          tEnd: performance.now(),
        }),
      );
      res.on("error", reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`No answer from ${url} within 60 s.`)));
    req.on("error", reject);
    const sentAt = Date.now();
    const t0 = performance.now();
    req.end(options.body);
  });
}

export type ActionOutcome<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * Calls a server action the way the browser's fetch does: its arguments as JSON, the action id in
 * `Next-Action`. Returns the action's typed result, read from the RSC answer.
 */
export async function callAction<T>(
  baseUrl: string,
  action: ActionRef,
  args: unknown[],
  cookie: string,
  options: { fresh?: boolean } = {},
): Promise<{ outcome: ActionOutcome<T>; response: TimedResponse }> {
  const response = await timedRequest(`${baseUrl}${action.path}`, {
    ...options,
    method: "POST",
    headers: {
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      "next-action": action.id,
      origin: baseUrl,
      cookie,
    },
    body: JSON.stringify(args),
  });
  if (response.status !== 200) {
    throw new Error(`Action ${action.path} answered ${response.status}: ${response.body.slice(0, 300)}`);
  }
  // The RSC stream's rows are `<id>:<json>`; the action's return value is the row after the first.
  const rows = response.body.split("\n").filter(Boolean);
  for (const row of rows) {
    const json = row.slice(row.indexOf(":") + 1);
    if (!json.startsWith('{"ok":')) continue;
    return { outcome: JSON.parse(json) as ActionOutcome<T>, response };
  }
  throw new Error(`Action ${action.path} gave no result: ${response.body.slice(0, 300)}`);
}
