import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";

import { handleAdmin } from "./admin";
import { filesRouter } from "./cdn";
import { configPatchSchema, DEFAULT_CONFIG, DEFAULT_REVE2IMG_MODELS, type EmulatorConfig } from "./config";
import type { EmulatorContext, Reseller } from "./context";
import { FileStore } from "./files";
import {
  BodyTooLargeError,
  flattenHeaders,
  parseJson,
  readBody,
  sendJson,
  type RequestContext,
  type Router,
} from "./http";
import { JobStore } from "./jobs";
import { createLimiter } from "./limit";
import { printRequest, RequestLog, type LoggedProvider, type LoggedRequest } from "./log";
import { apiframe } from "./resellers/apiframe";
import { pixazo } from "./resellers/pixazo";
import { reve2img } from "./resellers/reve2img";
import { reveart } from "./resellers/reveart";
import { WebhookSender, type WebhookDelivery } from "./webhooks";

// The local Reve emulator: the four resellers under their prefixes, the result files, the admin
// endpoints. Plain node:http; one process, or in-process for tests.

export type { EmulatorConfig, Reve2imgModel } from "./config";
export type { JobLogEntry } from "./jobs";
export type { LoggedRequest } from "./log";
export type { WebhookDelivery } from "./webhooks";

export interface EmulatorHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The live config; change it with `configure`. */
  config: EmulatorConfig;
  configure(patch: Partial<EmulatorConfig>): void;
  requests(): LoggedRequest[];
  clearRequests(): void;
  /** Every webhook delivery attempt, oldest first. */
  webhookDeliveries(): WebhookDelivery[];
  close(): Promise<void>;
}

export type EmulatorOptions = Partial<EmulatorConfig> & { port?: number; host?: string };

interface Mount {
  provider: LoggedProvider;
  prefix: string;
  router: Router;
  noRoute: Reseller["noRoute"];
}

/** A validated patch without the fields explicitly set to undefined (they keep their value). */
function cleanPatch(patch: Partial<EmulatorConfig>): Partial<EmulatorConfig> {
  const parsed = configPatchSchema.parse(patch) as Partial<EmulatorConfig>;
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const { port: requestedPort = 0, host = "127.0.0.1", ...overrides } = options;
  const config: EmulatorConfig = {
    ...DEFAULT_CONFIG,
    reve2imgModels: { ...DEFAULT_REVE2IMG_MODELS },
    ...cleanPatch(overrides),
  };
  const closing = new AbortController();
  // Every pending wait (jobs, webhooks, synchronous answers) listens to this one signal.
  setMaxListeners(0, closing.signal);
  const renderLimit = createLimiter(Math.max(2, Math.min(4, availableParallelism())));
  const files = await FileStore.open(renderLimit);
  const log = new RequestLog();
  const startedAt = Date.now();
  let ownUrl = "";

  const getConfig = () => config;
  const baseUrl = () => (config.publicUrl || ownUrl).replace(/\/+$/, "");
  const jobs = new JobStore({
    config: getConfig,
    baseUrl,
    files,
    prepLimit: createLimiter(8),
    renderLimit,
    signal: closing.signal,
  });
  const webhooks = new WebhookSender({ config: getConfig, jobs, signal: closing.signal });
  const emu: EmulatorContext = { config: getConfig, baseUrl, jobs, files, webhooks, signal: closing.signal };

  const mounts: Mount[] = [pixazo(emu), apiframe(emu), reve2img(emu), reveart(emu)];
  mounts.push({
    provider: "files",
    prefix: "/files",
    router: filesRouter(emu),
    noRoute: (res, status) => sendJson(res, status, { error: "Not Found" }),
  });

  const configure = (patch: Partial<EmulatorConfig>) => {
    Object.assign(config, cleanPatch(patch));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = req.method ?? "GET";
    if (url.pathname === "/__emulator" || url.pathname.startsWith("/__emulator/")) {
      return handleAdmin(req, res, url.pathname, {
        log,
        config,
        configure,
        jobCount: () => jobs.size,
        jobs: () => jobs.list(),
        deliveries: () => webhooks.deliveries(),
        startedAt,
      });
    }
    const mount = mounts.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (!mount) {
      return sendJson(res, 404, {
        error: "Not Found",
        message: "Unknown path; resellers live under /pixazo, /apiframe, /reve2img and /reveart.",
      });
    }

    const entry: LoggedRequest = {
      seq: log.takeSeq(),
      provider: mount.provider,
      method,
      path: url.pathname.slice(mount.prefix.length) || "/",
      fullPath: `${url.pathname}${url.search}`,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body: null,
      status: 0,
      startedAt: Date.now(),
      endedAt: 0,
    };
    // Logged when the exchange ends, answered or not ([emu:timeout] ends with the client leaving).
    res.once("close", () => {
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.endedAt = Date.now();
      log.add(entry);
      if (config.printRequests) printRequest(entry);
    });

    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: "Payload Too Large" });
      throw error;
    }
    const { json, jsonError } = parseJson(rawBody);
    entry.body = rawBody === "" ? null : jsonError ? rawBody : json;

    const match = mount.router.match(method, entry.path);
    if (match.kind !== "found") return mount.noRoute(res, match.kind === "not_found" ? 404 : 405);
    const ctx: RequestContext = {
      req,
      res,
      method,
      path: entry.path,
      params: match.params,
      query: entry.query,
      headers: entry.headers,
      rawBody,
      json,
      jsonError,
    };
    await match.handler(ctx);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that hangs up mid-body is not the emulator's failure.
      if (res.destroyed) return;
      console.error("emulator: request failed:", error instanceof Error ? error.message : error);
      sendJson(res, 500, { error: "Internal Server Error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  ownUrl = `http://${urlHost(host)}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: ownUrl,
    port,
    config,
    configure,
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    webhookDeliveries: () => webhooks.deliveries(),
    close() {
      closed ??= (async () => {
        closing.abort();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Held sockets ([emu:timeout], synchronous answers) would otherwise keep close() waiting.
        server.closeAllConnections();
        await stopped;
        await files.close();
      })();
      return closed;
    },
  };
}
