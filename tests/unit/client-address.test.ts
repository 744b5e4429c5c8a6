import { describe, expect, it } from "vitest";

import { clientIpFrom } from "@/server/auth/client-ip";

import { stampClientAddress } from "../../scripts/client-address.mjs";

/** What the app reads for a request from `socket` carrying `forwardedFor`, behind `hops` proxies. */
function clientSeen(socket: string, forwardedFor: string | undefined, hops: number) {
  const warnings: string[] = [];
  const request = { headers: { "x-forwarded-for": forwardedFor }, socket: { remoteAddress: socket } };
  stampClientAddress(request, hops, (message) => warnings.push(message));
  return { ip: clientIpFrom(request.headers["x-forwarded-for"], hops), warnings };
}

describe("the client address the studio's limits count", () => {
  it("with no trusted proxy is the socket's, whatever X-Forwarded-For a client sends", () => {
    expect(clientSeen("203.0.113.9", undefined, 0).ip).toBe("203.0.113.9");
    expect(clientSeen("203.0.113.9", "198.51.100.1", 0).ip).toBe("203.0.113.9");
    expect(clientSeen("::ffff:203.0.113.9", "1.2.3.4, 5.6.7.8", 0).ip).toBe("203.0.113.9");
    // A public client lying about its address is not a reason to warn the operator.
    expect(clientSeen("203.0.113.9", "198.51.100.1", 0).warnings).toEqual([]);
  });

  it("behind trusted proxies is the entry that many from the right, so a client's own entries are ignored", () => {
    // One load balancer appended the address it saw; the client's forged entry sits to its left.
    expect(clientSeen("10.0.0.2", "6.6.6.6, 203.0.113.9", 1).ip).toBe("203.0.113.9");
    expect(clientSeen("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2).ip).toBe("203.0.113.9");
  });

  it("warns when a private peer sends X-Forwarded-For while no proxy is trusted", () => {
    const { ip, warnings } = clientSeen("10.0.0.2", "203.0.113.9", 0);
    expect(ip).toBe("10.0.0.2");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("TRUSTED_PROXY_HOPS");
  });
});
