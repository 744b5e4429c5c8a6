import "server-only";

import { notFound } from "next/navigation";

import { getSessionUser, type SessionUser } from "@/server/auth/session";

import { isAdmin } from "./roles";

/**
 * For every /admin page: the signed-in admin, or Next's 404, exactly the page a missing URL gets,
 * for anonymous callers and signed-in users alike. Each page calls it, not only the layout.
 */
export async function requireAdminPage(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user || !(await isAdmin(user))) notFound();
  return user;
}
