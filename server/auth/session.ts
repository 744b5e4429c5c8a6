import "server-only";

import { redirect } from "next/navigation";

import { AppError } from "@/server/errors";

import { auth } from "./config";

export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return { id, email: session.user?.email ?? null, name: session.user?.name ?? null };
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
