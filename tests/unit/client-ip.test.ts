import { describe, expect, it } from "vitest";

import { clientIpFrom, normalizeIp } from "@/server/auth/client-ip";

// The address the sign-in limits count. `next start` sets X-Forwarded-For to the socket's address
// only when the request has none; each trusted proxy appends the address it saw.

describe("client address from X-Forwarded-For", () => {
  it("with no proxy (0 hops) takes the rightmost entry: the socket's address Next set", () => {
    expect(clientIpFrom("198.51.100.7", 0)).toBe("198.51.100.7");
    expect(clientIpFrom("10.0.0.1, 198.51.100.7", 0)).toBe("198.51.100.7");
  });

  it("behind N proxies takes the Nth entry from the right, ignoring what the client put before", () => {
    // The client forged "1.1.1.1"; proxy 1 appended the real client, proxy 2 appended proxy 1.
    const header = "1.1.1.1, 198.51.100.7, 10.0.0.2";
    expect(clientIpFrom(header, 2)).toBe("198.51.100.7");
    expect(clientIpFrom("1.1.1.1, 198.51.100.7", 1)).toBe("198.51.100.7");
    // Fewer entries than proxies: the leftmost is the farthest address known.
    expect(clientIpFrom("198.51.100.7", 3)).toBe("198.51.100.7");
  });

  it("reads nothing from a missing, empty or malformed header", () => {
    expect(clientIpFrom(null, 0)).toBeNull();
    expect(clientIpFrom(" , ", 0)).toBeNull();
    expect(clientIpFrom("1.1.1.1, not-an-address", 0)).toBeNull();
  });

  it("normalises ports, brackets, IPv4-mapped IPv6, and counts IPv6 by its /64", () => {
    expect(normalizeIp("198.51.100.7:5123")).toBe("198.51.100.7");
    expect(normalizeIp("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(normalizeIp("[2001:db8:1:2:3:4:5:6]:443")).toBe("2001:db8:1:2::/64");
    expect(normalizeIp("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(normalizeIp("2001:0db8::1")).toBe("2001:db8::/64");
    expect(normalizeIp("::1")).toBe("::/64");
    expect(normalizeIp("fe80::1%eth0")).toBe("fe80::/64");
  });
});
