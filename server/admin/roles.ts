import "server-only";

import type { SessionUser } from "@/server/auth/session";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";

export interface AdminConfig {
  /** Lower-cased addresses from ADMIN_EMAILS. */
  adminEmails: readonly string[];
  emailVerification: "off" | "required";
}

const configFromEnv = (): AdminConfig => ({
  adminEmails: env.ADMIN_EMAILS,
  emailVerification: env.EMAIL_VERIFICATION,
});

interface AccountRow {
  email: string | null;
  emailVerified: Date | null;
  role: "user" | "admin";
}

/**
 * An account is an admin when its role says so (`npm run admin -- promote`), or when its email is
 * in ADMIN_EMAILS and, where EMAIL_VERIFICATION=required, verified: an unverified sign-up cannot
 * claim an operator's address.
 */
export function isAdminAccount(row: AccountRow, config: AdminConfig = configFromEnv()): boolean {
  if (row.role === "admin") return true;
  const email = row.email?.toLowerCase();
  if (!email || !config.adminEmails.includes(email)) return false;
  return config.emailVerification === "off" || row.emailVerified !== null;
}

/** Whether the signed-in user is an admin, read from the database on every call. */
export async function isAdmin(user: SessionUser): Promise<boolean> {
  const row = await getDb().user.findUnique({
    where: { id: user.id },
    select: { email: true, emailVerified: true, role: true },
  });
  return row !== null && isAdminAccount(row);
}
