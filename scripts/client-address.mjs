// What the app sees as a request's client address; used by scripts/serve.mjs, tested on its own.
import ipaddr from "ipaddr.js";

/**
 * With no trusted proxy (`hops` 0), X-Forwarded-For becomes the socket's address, whatever the
 * client sent; with N trusted proxies the header they built is left for the app to read N entries
 * from its right. Calls `warn` when a private peer sends X-Forwarded-For while no proxy is trusted:
 * then the studio most likely sits behind an unannounced proxy.
 * @param {{ headers: Record<string, string | string[] | undefined>, socket: { remoteAddress?: string } }} request
 * @param {number} hops
 * @param {(message: string) => void} warn
 */
export function stampClientAddress(request, hops, warn) {
  if (hops > 0) return;
  const socketAddress = request.socket.remoteAddress ?? "";
  if (request.headers["x-forwarded-for"] && isPrivate(socketAddress)) {
    warn(
      `Requests arrive from ${socketAddress}, a private address, with X-Forwarded-For while TRUSTED_PROXY_HOPS is unset: ` +
        "behind a proxy every user shares that address's sign-up, sign-in and voucher limits. " +
        "Set TRUSTED_PROXY_HOPS to the number of proxies in front of the studio (1 behind one load balancer).",
    );
  }
  request.headers["x-forwarded-for"] = socketAddress;
}

const PRIVATE_RANGES = new Set(["private", "loopback", "linkLocal", "uniqueLocal", "carrierGradeNat"]);

/** @param {string} address */
function isPrivate(address) {
  try {
    return PRIVATE_RANGES.has(ipaddr.process(address).range());
  } catch {
    return false;
  }
}
