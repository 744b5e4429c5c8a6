"use client";

import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { PASSWORD_MIN } from "@/lib/auth-schemas";
import { changePasswordFormAction } from "@/server/actions/change-password";

/** Current and new password; on success every other device is signed out, this one stays. */
export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordFormAction, null);
  const error = state?.ok === false ? state.error : undefined;
  const fieldErrors = error?.fieldErrors;
  const formMessage =
    error && !fieldErrors?.currentPassword && !fieldErrors?.newPassword ? error.message : undefined;
  return (
    <form action={action} className="flex max-w-sm flex-col gap-4" noValidate>
      <Field
        id="currentPassword"
        name="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        required
        error={fieldErrors?.currentPassword}
      />
      <Field
        id="newPassword"
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={`At least ${PASSWORD_MIN} characters. Other devices will be signed out.`}
        error={fieldErrors?.newPassword}
      />
      {formMessage ? <FormAlert>{formMessage}</FormAlert> : null}
      {state?.ok ? (
        <p role="status" className="text-sm">
          Password changed. Every other device has been signed out.
        </p>
      ) : null}
      <Button type="submit" variant="secondary" disabled={pending} className="self-start">
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
