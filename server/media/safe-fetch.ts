import "server-only";

import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";

import { isPublicAddress } from "./address-policy";

export type SafeFetchReason =
  | "bad_url"
  | "bad_scheme"
  | "blocked_address"
  | "too_large"
  | "timeout"
  | "http_status"
  | "too_many_redirects"
  | "network";

/** A refused or failed download. Messages never carry the URL, which may hold a provider's token. */
export class SafeFetchError extends Error {
  readonly reason: SafeFetchReason;
  /** The HTTP status, for `http_status`. */
  readonly status?: number;

  constructor(reason: SafeFetchReason, message: string, status?: number) {
    super(message);
    this.name = "SafeFetchError";
    this.reason = reason;
    this.status = status;
  }
}

export type ResolvedAddress = { address: string; family: number };
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** `host[:port]` entries that may be reached over http and on private addresses. */
  allowHosts: string[];
  maxBytes: number;
  /** For the whole download, redirects included. */
  timeoutMs: number;
  maxRedirects?: number;
  /** DNS resolution; defaults to the system resolver. */
  resolve?: ResolveHost;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

type Target = { url: URL; hostname: string; address: string; family: number };

/**
 * Downloads an image from a URL someone else gave us (a provider's output) without letting that URL
 * reach our own network: every hop is resolved here, checked, and connected to by the checked
 * address, so a DNS answer that changes between check and connect cannot redirect the request.
 */
export async function safeFetchImage(
  url: string,
  opts: SafeFetchOptions,
): Promise<{ body: Buffer; contentType: string | null }> {
  const maxRedirects = opts.maxRedirects ?? 3;
  const allowHosts = new Set(opts.allowHosts.map((h) => h.trim().toLowerCase()).filter(Boolean));
  const resolve = opts.resolve ?? systemResolve;
  const signal = AbortSignal.timeout(opts.timeoutMs);

  let current = parseUrl(url);
  for (let redirects = 0; ; redirects++) {
    const target = await checkTarget(current, allowHosts, resolve, signal);
    const response = await send(target, signal);
    const status = response.statusCode ?? 0;

    if (REDIRECT_STATUSES.has(status)) {
      response.destroy();
      const location = response.headers.location;
      if (!location) {
        throw new SafeFetchError(
          "http_status",
          `The image host answered ${status} without a location.`,
          status,
        );
      }
      if (redirects >= maxRedirects) {
        throw new SafeFetchError("too_many_redirects", "The image URL redirected too many times.");
      }
      current = parseUrl(location, current);
      continue;
    }
    if (status < 200 || status > 299) {
      response.destroy();
      throw new SafeFetchError("http_status", `The image host answered HTTP ${status}.`, status);
    }
    const body = await readBody(response, opts.maxBytes, signal);
    return { body, contentType: response.headers["content-type"] ?? null };
  }
}

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new SafeFetchError("bad_url", "The image URL is not a valid URL.");
  }
  if (url.username || url.password)
    throw new SafeFetchError("bad_url", "Image URLs with credentials are refused.");
  return url;
}

async function checkTarget(
  url: URL,
  allowHosts: Set<string>,
  resolve: ResolveHost,
  signal: AbortSignal,
): Promise<Target> {
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SafeFetchError("bad_scheme", "Only https image URLs are accepted.");
  }
  const allowed = allowHosts.has(url.host.toLowerCase());
  if (!allowed && url.protocol !== "https:") {
    throw new SafeFetchError("bad_scheme", "Only https image URLs are accepted.");
  }

  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = isIP(hostname);
  const addresses = literal
    ? [{ address: hostname, family: literal }]
    : await resolveHost(hostname, resolve, signal);

  // One private answer is enough to refuse: the connection could be steered to any of them.
  if (!allowed && addresses.some((a) => !isPublicAddress(a.address))) {
    throw new SafeFetchError("blocked_address", "The image URL points to a private or reserved address.");
  }
  const first = addresses[0];
  if (!first) throw new SafeFetchError("network", "The image host could not be resolved.");
  return { url, hostname, address: first.address, family: first.family };
}

async function resolveHost(
  hostname: string,
  resolve: ResolveHost,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  try {
    return await Promise.race([resolve(hostname), rejectOnAbort(signal)]);
  } catch (error) {
    if (error instanceof SafeFetchError) throw error;
    throw new SafeFetchError("network", "The image host could not be resolved.");
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new SafeFetchError("timeout", "The image download timed out."));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

function send(target: Target, signal: AbortSignal): Promise<IncomingMessage> {
  // Hands the socket the address we checked instead of asking DNS again.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === "https:" ? https : http;

  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new SafeFetchError("timeout", "The image download timed out."));
    const request = client.request(
      {
        hostname: target.hostname,
        port: target.url.port || undefined,
        path: `${target.url.pathname}${target.url.search}`,
        method: "GET",
        lookup: pinned,
        // A fresh connection per hop: a pooled socket would skip the address check.
        agent: false,
        signal,
        headers: {
          host: target.url.host,
          accept: "image/jpeg,image/png,image/webp,image/*;q=0.8",
          "accept-encoding": "identity",
          "user-agent": "ReveStudio/1.0",
        },
      },
      resolve,
    );
    request.on("error", (error) => reject(toNetworkError(error, signal)));
    request.end();
  });
}

function readBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const tooLarge = () => new SafeFetchError("too_large", `The image is larger than ${maxBytes} bytes.`);
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge());
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: SafeFetchError) => {
      response.destroy();
      reject(error);
    };
    response.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) fail(tooLarge());
      else chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks, received)));
    response.on("error", (error) => reject(toNetworkError(error, signal)));
    // A connection cut mid-body ends in "close" without "end" and, depending on timing, no "error".
    response.on("close", () => {
      if (!response.complete) reject(toNetworkError(new Error("incomplete"), signal));
    });
  });
}

function toNetworkError(error: unknown, signal: AbortSignal): SafeFetchError {
  if (error instanceof SafeFetchError) return error;
  if (signal.aborted) return new SafeFetchError("timeout", "The image download timed out.");
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return new SafeFetchError("network", `The image download failed${code ? ` (${code})` : ""}.`);
}
