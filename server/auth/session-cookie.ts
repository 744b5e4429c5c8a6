import "server-only";

import { decode, encode, type JWT } from "next-auth/jwt";

import { env } from "@/server/env";

// The session cookie Auth.js issues, and the one place that names, opens, issues and rolls it.
// Over https (APP_URL) only the `__Secure-` name is accepted, over http only the plain one; each
// name is also the salt its token is encrypted with, so a token only opens under its own name.

/** A session ends 30 days after the last day it was used. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** A token older than a day is re-issued on the next page view, with a fresh 30 days. */
export const SESSION_ROLL_AFTER_SECONDS = 24 * 60 * 60;

export const SECURE_COOKIES = env.APP_URL.toLowerCase().startsWith("https://");
const PLAIN_NAME = "authjs.session-token";
export const SESSION_COOKIE = SECURE_COOKIES ? `__Secure-${PLAIN_NAME}` : PLAIN_NAME;
/** Every name a session cookie may have had, for clearing. */
export const SESSION_COOKIE_NAMES = [`__Secure-${PLAIN_NAME}`, PLAIN_NAME] as const;

export const SESSION_COOKIE_OPTIONS = {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: SECURE_COOKIES,
  maxAge: SESSION_MAX_AGE_SECONDS,
} as const;

export interface SessionClaims {
  sub: string;
  email: string | null;
  name: string | null;
  /** The user's session version when the token was issued (0 for tokens older than versions). */
  sv: number;
  iat: number;
  exp: number;
}

/** The token's claims, or null when it is forged, altered, made with another secret or expired. */
export async function openSessionToken(token: string): Promise<(SessionClaims & { raw: JWT }) | null> {
  const payload = await decode({ token, secret: env.AUTH_SECRET, salt: SESSION_COOKIE }).catch(() => null);
  if (!payload?.sub || typeof payload.exp !== "number") return null;
  if (payload.exp * 1000 <= Date.now()) return null;
  return {
    sub: payload.sub,
    email: payload.email ?? null,
    name: payload.name ?? null,
    sv: typeof payload.sv === "number" ? payload.sv : 0,
    iat: typeof payload.iat === "number" ? payload.iat : 0,
    exp: payload.exp,
    raw: payload,
  };
}

/** A new token for the cookie, valid for SESSION_MAX_AGE_SECONDS from now. */
export function issueSessionToken(claims: JWT): Promise<string> {
  const { iat: _iat, exp: _exp, jti: _jti, ...rest } = claims;
  return encode({
    token: rest,
    secret: env.AUTH_SECRET,
    salt: SESSION_COOKIE,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

/**
 * The same session with a fresh expiry when `token` is older than a day, else null. Only the
 * expiry moves: a revoked token (stale version) is rolled as revoked, and still refused.
 */
export async function rolledSessionToken(token: string): Promise<string | null> {
  // Every page view passes here: a token seen before is not opened again until it is due.
  const known = issuedAt.get(token);
  if (known !== undefined && Date.now() / 1000 - known < SESSION_ROLL_AFTER_SECONDS) return null;
  const claims = await openSessionToken(token);
  if (!claims) return null;
  if (issuedAt.size >= MAX_REMEMBERED) issuedAt.delete(issuedAt.keys().next().value!);
  issuedAt.set(token, claims.iat);
  if (Date.now() / 1000 - claims.iat < SESSION_ROLL_AFTER_SECONDS) return null;
  return issueSessionToken(claims.raw);
}

const MAX_REMEMBERED = 1_000;
const issuedAt = new Map<string, number>();
