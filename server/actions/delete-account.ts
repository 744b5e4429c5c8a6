"use server";

import "server-only";

import { z } from "zod";

import { deleteAccountData } from "@/server/account/delete-account";
import { signOut } from "@/server/auth/config";
import { requireUser } from "@/server/auth/session";
import { type ActionResult, AppError, toActionError } from "@/server/errors";

const confirmation = z.string().max(320);

/** Deletes the signed-in account after it typed its email (or “delete”); the UI then goes to /sign-in. */
export async function deleteAccount(confirmEmail: string): Promise<ActionResult<null>> {
  try {
    const user = await requireUser();
    const parsed = confirmation.safeParse(confirmEmail);
    if (!parsed.success) throw new AppError("invalid_input", "Type your account's email address to confirm.");
    await deleteAccountData(user.id, parsed.data);
  } catch (error) {
    return toActionError(error);
  }
  await endSession();
  return { ok: true, data: null };
}

// The account is gone whatever happens here. Outside a request (scripts, tests) there is no cookie
// to clear, and a leftover session's user id no longer matches any row.
async function endSession(): Promise<void> {
  try {
    await signOut({ redirect: false });
  } catch {
    // No request context: nothing to sign out of.
  }
}
