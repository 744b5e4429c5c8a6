import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import sharp from "sharp";

import { startEmulator, type EmulatorConfig, type EmulatorHandle } from "@/emulator/server";

export const KEYS = {
  pixazo: "emu-pixazo-key",
  apiframe: "emu-apiframe-key",
  reve2img: "sk-emu-reve2img-key",
  reveart: "emu-reveart-key",
} as const;

export function start(config: Partial<EmulatorConfig> = {}): Promise<EmulatorHandle> {
  return startEmulator({ port: 0, jobMs: 300, printRequests: false, ...config });
}

/** Polls `read` until `done` accepts its value; fails with the last value after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`waitFor gave up; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

export function post(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Polls a status URL and returns every distinct status seen, ending with the first terminal one. */
export async function statusTrail(
  read: () => Promise<string>,
  terminal: readonly string[],
  timeoutMs = 30_000,
): Promise<string[]> {
  const seen: string[] = [];
  await waitFor(
    async () => {
      const status = await read();
      if (seen.at(-1) !== status) seen.push(status);
      return status;
    },
    (status) => terminal.includes(status),
    timeoutMs,
  );
  return seen;
}

export async function fetchPng(url: string): Promise<{ bytes: Buffer; width: number; height: number }> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  if (response.headers.get("content-type") !== "image/png") throw new Error("not image/png");
  const bytes = Buffer.from(await response.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  if (meta.format !== "png") throw new Error(`not a PNG: ${meta.format}`);
  return { bytes, width: meta.width ?? 0, height: meta.height ?? 0 };
}

/** Mean RGB of a region of an image. */
export async function meanColor(
  png: Buffer,
  region: { left: number; top: number; width: number; height: number },
): Promise<[number, number, number]> {
  // stats() reads the pipeline's input, so the region is cut out first.
  const cut = await sharp(png).extract(region).removeAlpha().png().toBuffer();
  const { channels } = await sharp(cut).stats();
  return [channels[0]!.mean, channels[1]!.mean, channels[2]!.mean];
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface LocalServer {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** A throwaway HTTP server on a random port: serves test images, receives webhooks. */
export async function localServer(
  handler: (req: Received, res: ServerResponse) => void | Promise<void>,
): Promise<LocalServer> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    received.push(entry);
    await handler(entry, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function solidPng(width: number, height: number, color: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

/** Serves /red.png (800×600), /blue.png (400×400), /gray.jpg (300×600), /missing (404) and /text (not an image). */
export async function imageServer(): Promise<LocalServer> {
  const red = await solidPng(800, 600, "#ff0000");
  const blue = await solidPng(400, 400, "#0000ff");
  const gray = await sharp({ create: { width: 300, height: 600, channels: 3, background: "#808080" } })
    .jpeg()
    .toBuffer();
  const files: Record<string, [string, Buffer]> = {
    "/red.png": ["image/png", red],
    "/blue.png": ["image/png", blue],
    "/gray.jpg": ["image/jpeg", gray],
    "/text": ["text/plain", Buffer.from("hello, not an image")],
  };
  return localServer((req, res) => {
    const file = files[req.path.split("?")[0] ?? ""];
    if (!file) {
      res.writeHead(404).end("missing");
      return;
    }
    res.writeHead(200, { "Content-Type": file[0] }).end(file[1]);
  });
}

/** Receives webhooks and answers 200. */
export function webhookReceiver(): Promise<LocalServer> {
  return localServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  });
}
