import "server-only";

import ipaddr from "ipaddr.js";
import { isIP } from "node:net";

// Global unicast; everything outside it (IPv4-compatible ::/96, ORCHID, ...) is not a public host.
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");

/**
 * True only for addresses on the public internet. Loopback, private, link-local (cloud metadata),
 * CGNAT, multicast, reserved, unique-local, and IPv6 forms that embed an IPv4 address (mapped, 6to4,
 * NAT64, Teredo) are all refused, since each can lead back into a private network.
 */
export function isPublicAddress(address: string): boolean {
  // Only canonical forms; DNS answers and URL hosts are normalised to them before they get here.
  if (isIP(address) === 0) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && !ip.match(IPV6_GLOBAL_UNICAST)) return false;
  return ip.range() === "unicast";
}
