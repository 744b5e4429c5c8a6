import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";

import { cookies } from "next/headers";

import { env } from "@/server/env";

// A device that signed into an account before carries this cookie: the account's id, when, and an
// HMAC of both keyed with AUTH_SECRET. It cannot be made or moved to another account without the
// secret, and it exempts that device from the per-account sign-in limit, so someone guessing from
// elsewhere cannot lock the owner out.

export const KNOWN_DEVICE_COOKIE = "reve-known-device";
const MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

const mac = (userId: string, issuedAt: number) =>
  createHmac("sha256", env.AUTH_SECRET).update(`known-device:${userId}:${issuedAt}`).digest("base64url");

export function knownDeviceToken(userId: string, now = Date.now()): string {
  const issuedAt = Math.floor(now / 1000);
  return `${userId}.${issuedAt}.${mac(userId, issuedAt)}`;
}

/** Whether `token` (the cookie's value) says this device signed into `userId` in the last 180 days. */
export function isKnownDevice(token: string | undefined, userId: string, now = Date.now()): boolean {
  const [id, issued, signature] = (token ?? "").split(".");
  const issuedAt = Number(issued);
  if (id !== userId || !signature || !Number.isSafeInteger(issuedAt)) return false;
  const age = now / 1000 - issuedAt;
  if (age < -60 || age > MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(mac(userId, issuedAt));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The cookie's value in a request's `Cookie` header. */
export function knownDeviceCookieFrom(cookieHeader: string | null): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === KNOWN_DEVICE_COOKIE) return value.join("=");
  }
  return undefined;
}

/** Marks this browser as one that signed into `userId`, after a successful sign-in. */
export async function rememberDevice(userId: string): Promise<void> {
  (await cookies()).set(KNOWN_DEVICE_COOKIE, knownDeviceToken(userId), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.APP_URL.startsWith("https:"),
    path: "/",
    maxAge: MAX_AGE_SECONDS,
  });
}
