import "server-only";

import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { env } from "@/server/env";
import { AppError } from "@/server/errors";

export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
}

// Auth.js's session cookie: the __Secure- name when the studio is served over https. Each name is
// also the salt its token was encrypted with, so a token only opens under its own name.
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

type CookieJar = Awaited<ReturnType<typeof cookies>>;
type Claims = { sub: string; email: string | null; name: string | null; exp: number };

// Opening a token costs about a millisecond (key derivation and decryption), and a signed-in tab
// sends the same token with every status poll. A token's claims never change, so the process keeps
// the last few it opened; the expiry is checked again on every use.
const MAX_REMEMBERED = 1_000;
const remembered = new Map<string, Claims>();

async function openToken(token: string, salt: string): Promise<Claims | null> {
  const key = `${salt}:${token}`;
  let claims = remembered.get(key);
  if (!claims) {
    const payload = await decode({ token, secret: env.AUTH_SECRET, salt }).catch(() => null);
    if (!payload?.sub || typeof payload.exp !== "number") return null;
    claims = { sub: payload.sub, email: payload.email ?? null, name: payload.name ?? null, exp: payload.exp };
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(key, claims);
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
 * The signed-in user, read from the session token Auth.js issued: decrypted with AUTH_SECRET and
 * refused once expired. Auth.js's `auth()` gives the same answer, but runs its whole request
 * machinery and re-encrypts the token on each call: several times the cost on every page, action
 * and status poll, with nothing gained, since JWT sessions keep no state on the server.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = readSplitCookie(jar, name);
    if (!token) continue;
    const claims = await openToken(token, name);
    if (claims) return { id: claims.sub, email: claims.email, name: claims.name };
  }
  return null;
}

/** For pages and layouts: the signed-in user, or a redirect to sign-in. */
export async function requirePageUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** For actions and route handlers: the signed-in user, or an `unauthorized` AppError. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthorized", "Sign in to continue.");
  return user;
}
