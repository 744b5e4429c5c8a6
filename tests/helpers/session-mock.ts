import type { SessionUser } from "@/server/auth/session";
import { AppError } from "@/server/errors";

// Stands in for server/auth/session.ts in integration tests:
//   vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));
// then `signInAs(user)` / `signOutAll()` decide who the next call runs as.

let current: SessionUser | null = null;

export function signInAs(user: { id: string; email?: string | null; name?: string | null } | null) {
  current = user ? { id: user.id, email: user.email ?? null, name: user.name ?? null } : null;
}

export const signOutAll = () => signInAs(null);

export const END_SESSION_PATH = "/api/session/end";

export async function readSession() {
  return current ? { state: "valid" as const, user: current } : { state: "none" as const };
}

export async function getSessionUser() {
  return current;
}

export async function requireUser() {
  if (!current) throw new AppError("unauthorized", "Sign in to continue.");
  return current;
}

export async function requirePageUser() {
  if (!current) throw new Error("redirect:/sign-in");
  return current;
}
