import "server-only";

import { cookies } from "next/headers";

import type { SessionUser } from "./session";
import { issueSessionToken, SESSION_COOKIE, SESSION_COOKIE_OPTIONS } from "./session-cookie";

/**
 * Gives this browser a session at the user's new version (after a password change), so the
 * device that made the change stays signed in while every other one is signed out.
 */
export async function reissueSession(user: SessionUser, sessionVersion: number): Promise<void> {
  const token = await issueSessionToken({
    sub: user.id,
    email: user.email,
    name: user.name,
    sv: sessionVersion,
  });
  const jar = await cookies();
  for (const { name } of jar.getAll()) if (name.startsWith(`${SESSION_COOKIE}.`)) jar.delete(name);
  jar.set(SESSION_COOKIE, token, SESSION_COOKIE_OPTIONS);
}
