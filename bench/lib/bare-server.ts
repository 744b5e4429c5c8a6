// The baselines, each a bare `node:http` server in a process of its own, measured in the same run
// as the studio:
//   proxy <emulator url>  – takes the action's body and forwards the prompt to the emulator's
//                           Apiframe submit, as directly as Node allows;
//   json <file>           – answers every GET with the same JSON bytes as the studio's status route.
import { readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

import { DEFAULT_CONFIG } from "@/emulator/config";

const [mode, arg] = process.argv.slice(2);

const server =
  mode === "json"
    ? jsonServer(readFileSync(arg!))
    : mode === "proxy"
      ? proxyServer(new URL("/apiframe/v2/images/generate", arg!))
      : undefined;
if (!server) {
  console.error("usage: bare-server.ts proxy <emulator url> | json <file>");
  process.exit(2);
}
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.info(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

function jsonServer(body: Buffer) {
  return createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
}

function proxyServer(target: URL) {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const [input] = JSON.parse(Buffer.concat(chunks).toString("utf8")) as [{ prompt: string }];
      const body = JSON.stringify({ prompt: input.prompt, model: "reve-create" });
      const upstream = request(
        target,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "x-api-key": DEFAULT_CONFIG.apiframeKey,
          },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, { "content-type": "application/json" });
          answer.pipe(res);
        },
      );
      upstream.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
}
