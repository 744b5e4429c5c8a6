import { describe, expect, it } from "vitest";

import {
  SIGNED_MEDIA_PATH,
  signedMediaUrl,
  signMediaPath,
  verifyMediaSignature,
} from "@/server/media/signed-url";

const secret = "a-test-signing-secret-that-is-long-enough-0123";
const key = "users/u1/a1/original.png";
const now = 1_700_000_000;

function params(query: string) {
  const search = new URLSearchParams(query);
  return { exp: search.get("exp"), sig: search.get("sig") };
}

describe("signed media URLs", () => {
  it("accepts its own signature until it expires", () => {
    const { exp, sig } = params(signMediaPath(key, now + 60, secret));
    expect(exp).toBe(String(now + 60));
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyMediaSignature(key, exp, sig, secret, now)).toBe("ok");
    expect(verifyMediaSignature(key, Number(exp), sig, secret, now + 59)).toBe("ok");
    expect(verifyMediaSignature(key, exp, sig, secret, now + 60)).toBe("expired");
    expect(verifyMediaSignature(key, exp, sig, secret, now + 3600)).toBe("expired");
  });

  it("refuses an altered key, signature, expiry or secret", () => {
    const { exp, sig } = params(signMediaPath(key, now + 60, secret));
    const flipped = `${sig!.slice(0, 10)}${sig![10] === "A" ? "B" : "A"}${sig!.slice(11)}`;

    expect(verifyMediaSignature("users/u2/a1/original.png", exp, sig, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, exp, flipped, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, String(now + 6000), sig, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, `0${exp}`, sig, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, exp, sig, `${secret}x`, now)).toBe("invalid");
    expect(verifyMediaSignature(key, null, sig, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, exp, null, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, exp, `${sig}A`, secret, now)).toBe("invalid");
    expect(verifyMediaSignature(key, "-1", sig, secret, now)).toBe("invalid");
  });

  it("builds an app URL on the signed media route that verifies for at least the ttl", () => {
    const url = new URL(signedMediaUrl("https://studio.example/", key, 3600, secret, now));

    expect(url.origin).toBe("https://studio.example");
    expect(url.pathname).toBe(`${SIGNED_MEDIA_PATH}/${key}`);
    const exp = Number(url.searchParams.get("exp"));
    expect(exp).toBeGreaterThanOrEqual(now + 3600);
    expect(exp).toBeLessThanOrEqual(now + 3600 + 300);
    const sig = url.searchParams.get("sig");
    expect(verifyMediaSignature(key, url.searchParams.get("exp"), sig, secret, now + 3599)).toBe("ok");
    expect(verifyMediaSignature(key, url.searchParams.get("exp"), sig, secret, exp)).toBe("expired");
  });

  it("gives the same URL for nearby moments so the browser can cache the image", () => {
    const first = signedMediaUrl("http://localhost:3000", key, 3600, secret, now);
    expect(signedMediaUrl("http://localhost:3000", key, 3600, secret, now + 1)).toBe(first);
  });
});
