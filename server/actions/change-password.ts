"use server";

import "server-only";

import { changePasswordSchema } from "@/lib/auth-schemas";
import { authedAction, formAction } from "@/server/action";
import { changePassword } from "@/server/auth/change-password";
import { reissueSession } from "@/server/auth/reissue-session";

/** Changes the password; every other device is signed out, this one stays signed in. */
export const changePasswordAction = authedAction(
  changePasswordSchema,
  async ({ currentPassword, newPassword }, user) => {
    const sessionVersion = await changePassword(user.id, currentPassword, newPassword);
    await reissueSession(user, sessionVersion);
    return null;
  },
  { unexpectedMessage: "We could not change your password. Try again in a moment." },
);

export const changePasswordFormAction = formAction(changePasswordAction);
