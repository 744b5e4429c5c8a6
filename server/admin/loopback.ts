import "server-only";

import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { join } from "node:path";

import { logUnexpected } from "@/server/log";

import { AdminCommandError, adminCommandSchema, runAdminCommand } from "./commands";

/** Where the running studio tells the admin CLI how to reach it. Readable by its owner only. */
export const adminEndpointFile = (dataDir: string) => join(dataDir, "admin.json");

const MAX_BODY_BYTES = 64 * 1024;

/**
 * In the embedded default the server holds PGlite, which admits one process, so `npm run admin`
 * sends its commands here instead: an HTTP listener on 127.0.0.1 only, on a port the system picks,
 * authenticated by a random secret written to DATA_DIR/admin.json (mode 0600) with that port.
 */
export async function startAdminListener(dataDir: string): Promise<() => void> {
  const secret = randomBytes(32).toString("hex");
  const file = adminEndpointFile(dataDir);
  const server = createServer(async (request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "POST" || request.url !== "/command") return answer(404, { error: "Not found." });
    if (!secretMatches(request.headers.authorization, secret))
      return answer(401, { error: "Not authorized." });
    try {
      const input = JSON.parse(await readBody(request)) as { operator?: unknown; command?: unknown };
      const parsed = adminCommandSchema.safeParse(input.command);
      if (!parsed.success) return answer(400, { error: parsed.error.issues[0]?.message ?? "Bad command." });
      const operator = typeof input.operator === "string" ? input.operator.slice(0, 100) : "cli";
      return answer(200, await runAdminCommand(parsed.data, operator));
    } catch (error) {
      if (error instanceof AdminCommandError || error instanceof SyntaxError)
        return answer(400, { error: error.message });
      logUnexpected(error, "admin command");
      return answer(500, { error: "The command failed; the server's log says why." });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The admin listener has no port.");
  writeFileSync(file, JSON.stringify({ port: address.port, secret, pid: process.pid }), { mode: 0o600 });
  chmodSync(file, 0o600);
  server.unref();
  const stop = () => {
    server.close();
    rmSync(file, { force: true });
  };
  process.once("exit", () => rmSync(file, { force: true }));
  return stop;
}

function secretMatches(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, "") ?? "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) throw new AdminCommandError("The command is too large.");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
