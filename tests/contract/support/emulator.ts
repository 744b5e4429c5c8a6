import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import sharp from "sharp";
import { afterAll, beforeAll, beforeEach } from "vitest";

import { startEmulator } from "@/emulator/server";
import type { NormalizedStatus, ReveProvider } from "@/server/providers/types";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** An emulator on a free port with short jobs and no request printing. */
export function startTestEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ port: 0, host: "127.0.0.1", jobMs: 150, printRequests: false, ...options });
}

/**
 * A contract file's servers: an emulator and the image server its edits and remixes fetch from,
 * started before the file's tests, with the emulator's request log cleared before each test.
 */
export function useEmulatorWithImages(options: Parameters<typeof startEmulator>[0] = {}) {
  const servers = {} as { emu: Emulator; images: ImageServer };
  beforeAll(async () => {
    [servers.emu, servers.images] = await Promise.all([startTestEmulator(options), startImageServer()]);
  });
  afterAll(async () => {
    await Promise.all([servers.emu?.close(), servers.images?.close()]);
  });
  beforeEach(() => servers.emu.clearRequests());
  return servers;
}

/** Status reads retry at once in tests. */
export const NO_WAIT_RETRY = { sleep: async () => undefined };

export interface ImageServer {
  url: string;
  close: () => Promise<void>;
}

/** Serves small PNGs at /a.png, /b.png, … so that edit and remix have inputs to fetch. */
export async function startImageServer(): Promise<ImageServer> {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c83232" } })
    .png()
    .toBuffer();
  const server: Server = createServer((req, res) => {
    if (req.url && /^\/[a-z]\.png$/.test(req.url)) {
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": String(png.length) });
      res.end(png);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until the job ends; the emulator's jobs are short. */
export async function untilTerminal(provider: ReveProvider, first: NormalizedStatus, limitMs = 60_000) {
  let status = first;
  const deadline = Date.now() + limitMs;
  while (status.state !== "succeeded" && status.state !== "failed") {
    if (Date.now() > deadline) throw new Error(`job ${status.providerJobId} still ${status.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await provider.getStatus(status.providerJobId);
  }
  return status;
}

/** Resolves with the rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

/** Records the webhooks the emulator delivers. */
export async function startCallbackServer() {
  const received: { path: string; rawBody: string; headers: Headers }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
      received.push({ path: req.url ?? "", rawBody: Buffer.concat(chunks).toString("utf8"), headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(count: number, limitMs = 10_000) {
      const deadline = Date.now() + limitMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} callbacks arrived`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
