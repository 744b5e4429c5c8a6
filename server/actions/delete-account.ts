"use server";

import "server-only";

import { z } from "zod";

import { deleteAccountData } from "@/server/account/delete-account";
import { authedAction } from "@/server/action";
import { signOut } from "@/server/auth/config";
import { forgetSessionVersion } from "@/server/auth/session-version";
import { AppError } from "@/server/errors";

/** Deletes the signed-in account after it typed its email (or “delete”); the UI then goes through /api/session/end (Clear-Site-Data) to /sign-in. */
export const deleteAccount = authedAction(
  z.string().max(320),
  async (confirmEmail, user) => {
    await deleteAccountData(user.id, confirmEmail);
    // Every cookie of the account is now orphaned; this process stops accepting them at once,
    // other instances within the version cache's few seconds.
    forgetSessionVersion(user.id);
    await endSession();
    return null;
  },
  { onInvalid: () => new AppError("invalid_input", "Type your account's email address to confirm.") },
);

// The account is gone whatever happens here. Outside a request (scripts, tests) there is no cookie
// to clear, and a leftover session's user id no longer matches any row.
async function endSession(): Promise<void> {
  try {
    await signOut({ redirect: false });
  } catch {
    // No request context: nothing to sign out of.
  }
}
