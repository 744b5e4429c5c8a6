import "server-only";

import { cookies } from "next/headers";
import { NextResponse } from "next/server";

import { AppError } from "@/server/errors";

import { readSession } from "./session";
import { SESSION_COOKIE_NAMES } from "./session-cookie";
import { endAllSessions } from "./session-version";

/** Sent when a session ends: the browser drops its cache (images too), cookies and storage. */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

export type EndSessionMode =
  /** Sign out on this device (the sign-out button). */
  | "this-device"
  /** Bump the session version first: every device is signed out. */
  | "everywhere"
  /** A GET after a session ended elsewhere (revoked, account deleted): clears only an invalid cookie. */
  | "if-ended";

/**
 * Ends the browser's session and lands on /sign-in: every session cookie (both names, every
 * chunk) expired, and `Clear-Site-Data` so a shared browser keeps nothing of the user.
 */
export async function endSession(request: Request, mode: EndSessionMode): Promise<Response> {
  if (mode !== "if-ended" && !sameOrigin(request)) {
    throw new AppError("forbidden", "Sign out from the studio's own pages.");
  }
  if (mode !== "this-device") {
    const session = await readSession();
    // A link to this URL cannot sign anyone out: a valid session goes back to the studio.
    if (mode === "if-ended" && session.state === "valid") return seeOther("/create");
    if (mode === "everywhere" && session.state === "valid") await endAllSessions(session.user.id);
  }
  const response = seeOther("/sign-in");
  response.headers.set("clear-site-data", CLEAR_SITE_DATA);
  const present = (await cookies()).getAll().map((c) => c.name);
  const names = new Set<string>(SESSION_COOKIE_NAMES);
  for (const name of present)
    if (SESSION_COOKIE_NAMES.some((base) => name.startsWith(`${base}.`))) names.add(name);
  for (const name of names) {
    response.cookies.set(name, "", {
      path: "/",
      maxAge: 0,
      httpOnly: true,
      sameSite: "lax",
      secure: name.startsWith("__Secure-"),
    });
  }
  return response;
}

// A relative Location: behind a proxy the request's own URL may name an internal host.
function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path, "cache-control": "no-store" } });
}

/** A form posted from another site carries its own Origin: refused, as Next refuses such actions. */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
