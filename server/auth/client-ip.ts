import "server-only";

import { isIP } from "node:net";

import ipaddr from "ipaddr.js";

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
  // `isIP` first: ipaddr.js also reads legacy IPv4 forms ("127.1", hex) that no proxy writes.
  if (isIP(ip) === 0) return null;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip}/64`).toRFC5952String()}/64`;
}
