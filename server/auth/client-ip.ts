import "server-only";

import { isIP } from "node:net";

/**
 * The client's address from `X-Forwarded-For`. `next start` sets that header to the socket's
 * address only when the request has none, so with no proxy in front (`trustedHops` 0) a client can
 * send its own and the rightmost entry is whatever it claims. Each trusted proxy appends the
 * address it saw, so behind `trustedHops` of them the client is the entry that many from the right.
 * IPv6 clients are counted by their /64, which one machine usually holds whole.
 */
export function clientIpFrom(forwardedFor: string | null | undefined, trustedHops: number): string | null {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const fromRight = Math.max(1, trustedHops);
  return normalizeIp(entries[Math.max(0, entries.length - fromRight)]!);
}

/** A plain address: ports and brackets removed, IPv4-mapped IPv6 as IPv4, IPv6 as its /64; else null. */
export function normalizeIp(raw: string): string | null {
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  ip = ip.replace(/%.*$/, "");
  if (/^::ffff:/i.test(ip) && isIP(ip.slice(7)) === 4) ip = ip.slice(7);
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version !== 6) return null;
  return `${expandIpv6(ip).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map((g) => g.replace(/^0+(?=.)/, ""));
}
