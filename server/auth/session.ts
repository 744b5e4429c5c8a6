import "server-only";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { AppError } from "@/server/errors";

import { openSessionToken, SESSION_COOKIE, type SessionClaims } from "./session-cookie";
import { currentSessionVersion } from "./session-version";

export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
}

/**
 * What the browser's cookie says: no session, a valid one, or one that has ended (expired,
 * forged, revoked by a newer session version, or its account deleted) and must be cleared.
 */
export type SessionRead = { state: "none" } | { state: "ended" } | { state: "valid"; user: SessionUser };

/** Clears an ended session's cookie and lands on /sign-in (a GET never signs a valid session out). */
export const END_SESSION_PATH = "/api/session/end";

type CookieJar = Awaited<ReturnType<typeof cookies>>;

// Opening a token costs about a millisecond (key derivation and decryption), and a signed-in tab
// sends the same token with every status poll. A token's claims never change, so the process keeps
// the last few it opened; the expiry is checked again on every use, the version on every request.
const MAX_REMEMBERED = 1_000;
const remembered = new Map<string, SessionClaims>();

async function openToken(token: string): Promise<SessionClaims | null> {
  let claims = remembered.get(token);
  if (!claims) {
    const opened = await openSessionToken(token);
    if (!opened) return null;
    const { raw: _raw, ...kept } = opened;
    claims = kept;
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(token, claims);
  }
  return claims.exp * 1000 > Date.now() ? claims : null;
}

/** A cookie's value, joined from `name.0`, `name.1`… when Auth.js had to split a large token. */
function readSplitCookie(jar: CookieJar, name: string): string | undefined {
  const whole = jar.get(name)?.value;
  if (whole) return whole;
  const chunks: string[] = [];
  for (let chunk = jar.get(`${name}.0`); chunk; chunk = jar.get(`${name}.${chunks.length}`)) {
    chunks.push(chunk.value);
  }
  return chunks.length > 0 ? chunks.join("") : undefined;
}

/**
 * Reads the session token Auth.js issued: decrypted with AUTH_SECRET, refused once expired, and
 * checked against the user's current session version (cached a few seconds per process). A
 * database error is thrown, never read as "signed out": pages show their error page with a retry.
 */
export async function readSession(): Promise<SessionRead> {
  const token = readSplitCookie(await cookies(), SESSION_COOKIE);
  if (!token) return { state: "none" };
  const claims = await openToken(token);
  if (!claims) return { state: "ended" };
  const version = await currentSessionVersion(claims.sub);
  if (version === null || version !== claims.sv) return { state: "ended" };
  return { state: "valid", user: { id: claims.sub, email: claims.email, name: claims.name } };
}

/**
 * The signed-in user, or null. Auth.js's `auth()` gives the same answer, but runs its whole
 * request machinery and re-encrypts the token on each call: several times the cost on every page,
 * action and status poll.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await readSession();
  return session.state === "valid" ? session.user : null;
}

/** For pages and layouts: the signed-in user; else to sign-in, through clearing an ended cookie. */
export async function requirePageUser(): Promise<SessionUser> {
  const session = await readSession();
  if (session.state === "valid") return session.user;
  redirect(session.state === "ended" ? END_SESSION_PATH : "/sign-in");
}

/** For actions and route handlers: the signed-in user, or an `unauthorized` AppError. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthorized", "Sign in to continue.");
  return user;
}
