import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNED_MEDIA_PATH = "/api/media/signed";

export type MediaSignatureCheck = "ok" | "expired" | "invalid";

// Expiry is rounded up to this step so an image keeps the same URL for a while and the browser
// cache can serve it across re-renders and refetches.
const EXPIRY_STEP_SECONDS = 300;

function signature(key: string, exp: number, secret: string): Buffer {
  return createHmac("sha256", secret).update(`${key}\n${exp}`).digest();
}

/** The query string (`?exp=…&sig=…`) that grants access to `key` until `expiresAt` (unix seconds). */
export function signMediaPath(key: string, expiresAt: number, secret: string): string {
  const exp = Math.floor(expiresAt);
  return `?exp=${exp}&sig=${signature(key, exp, secret).toString("base64url")}`;
}

/** Checks the signature before the expiry, so a tampered `exp` reads as invalid, not expired. */
export function verifyMediaSignature(
  key: string,
  exp: string | number | null | undefined,
  sig: string | null | undefined,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
): MediaSignatureCheck {
  const expText = typeof exp === "number" ? String(exp) : exp;
  if (!expText || !/^[1-9]\d{0,11}$/.test(expText) || !sig || !/^[A-Za-z0-9_-]{43}$/.test(sig))
    return "invalid";
  const expected = signature(key, Number(expText), secret);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
  return Number(expText) > now ? "ok" : "expired";
}

/** `${appUrl}/api/media/signed/<key>?exp=…&sig=…`, valid for at least `ttlSeconds`. */
export function signedMediaUrl(
  appUrl: string,
  key: string,
  ttlSeconds: number,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
): string {
  const expiresAt = Math.ceil((now + ttlSeconds) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
  const path = key.split("/").map(encodeURIComponent).join("/");
  return `${appUrl.replace(/\/+$/, "")}${SIGNED_MEDIA_PATH}/${path}${signMediaPath(key, expiresAt, secret)}`;
}
