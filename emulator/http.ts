import type { IncomingMessage, ServerResponse } from "node:http";

// A tiny router and the body/answer helpers the resellers share; no framework on purpose.

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path after the reseller prefix, e.g. "/reve-image/v1/image-edit". */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string>;
  rawBody: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON (see `jsonError`). */
  json: unknown;
  jsonError: boolean;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export type RouteMatch =
  | { kind: "found"; handler: Handler; params: Record<string, string> }
  | { kind: "method_not_allowed" }
  | { kind: "not_found" };

export class Router {
  private readonly routes: Route[] = [];

  /** `path` may hold `:name` segments; a trailing slash is always accepted. */
  add(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path
      .split("/")
      .map((segment) => {
        if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(segment.slice(1));
        return "([^/]+)";
      })
      .join("/");
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      // HEAD is answered by the GET handler; Node drops the body of a HEAD answer by itself.
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? "")));
      return { kind: "found", handler: route.handler, params };
    }
    return pathMatched ? { kind: "method_not_allowed" } : { kind: "not_found" };
  }
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function parseJson(raw: string): { json: unknown; jsonError: boolean } {
  if (raw.trim() === "") return { json: undefined, jsonError: false };
  try {
    return { json: JSON.parse(raw) as unknown, jsonError: false };
  } catch {
    return { json: undefined, jsonError: true };
  }
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** False when the client is gone or an answer was already sent. */
function writable(res: ServerResponse): boolean {
  return !res.headersSent && !res.destroyed && !res.writableEnded;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendRaw(res, status, JSON.stringify(body), "application/json", headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  sendRaw(res, status, text, "text/plain; charset=utf-8", headers);
}

export function sendRaw(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (!writable(res)) return;
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** Answers 2xx with the first half of a JSON document: what a broken proxy or a cut connection looks like. */
export function sendMalformed(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  sendRaw(res, status, json.slice(0, Math.max(1, Math.floor(json.length / 2))), "application/json");
}

/** Resolves when the client goes away (or the answer is complete). */
export function closed(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.writableFinished) return Promise.resolve();
  return new Promise((resolve) => res.once("close", () => resolve()));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isHttpUrl(
  value: unknown,
  protocols: readonly string[] = ["http:", "https:"],
): value is string {
  if (typeof value !== "string" || !URL.canParse(value)) return false;
  return protocols.includes(new URL(value).protocol);
}

export function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}
