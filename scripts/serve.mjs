// The studio's HTTP server: Next.js behind a plain node:http server that decides what the app sees
// as the client's address. `next start` keeps any X-Forwarded-For a client sends and only fills it
// in from the socket when it is missing, so a client could name its own address and escape every
// per-address limit. Here, with TRUSTED_PROXY_HOPS=0 (no proxy in front), X-Forwarded-For is
// replaced by the socket's address; with N proxies, the header they built is passed on, and the app
// takes the client N entries from its right (server/auth/client-ip.ts).
//   node scripts/serve.mjs [--dev] -p PORT [-H HOST]
import { createServer } from "node:http";
import { parseArgs } from "node:util";

import { stampClientAddress } from "./client-address.mjs";

const { values } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", short: "H" },
  },
});
const port = Number(values.port);
const hops = Number(process.env.TRUSTED_PROXY_HOPS || 0);

// As `next start` and `next dev` do, before React and Next load.
process.env.NODE_ENV ??= values.dev ? "development" : "production";
const { default: next } = await import("next");
const app = next({ dev: values.dev, port, hostname: values.hostname ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

let warned = false;
const warnOnce = (message) => {
  if (!warned) console.warn(message);
  warned = true;
};

createServer((request, response) => {
  stampClientAddress(request, hops, warnOnce);
  void handle(request, response);
}).listen(port, values.hostname, () => {
  console.info(`Serving on http://${values.hostname ?? "localhost"}:${port}`);
});
