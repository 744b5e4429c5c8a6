"use client";

import Link from "next/link";
import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { PASSWORD_MIN } from "@/lib/auth-schemas";
import { signUpAction } from "@/server/actions/sign-up";

export function SignUpForm({ signupCredits }: { signupCredits: number }) {
  const [state, action, pending] = useActionState(signUpAction, null);
  const error = state?.ok === false ? state.error : undefined;
  const fieldErrors = error?.fieldErrors;
  const formMessage =
    error && !fieldErrors?.email && !fieldErrors?.password && !fieldErrors?.name ? error.message : undefined;
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <Field id="name" name="name" label="Name (optional)" autoComplete="name" error={fieldErrors?.name} />
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="email"
        required
        error={fieldErrors?.email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={`At least ${PASSWORD_MIN} characters.`}
        error={fieldErrors?.password}
      />
      {formMessage ? <FormAlert>{formMessage}</FormAlert> : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </Button>
      {signupCredits > 0 ? (
        <p className="text-muted text-center text-sm">You start with {signupCredits} free credits.</p>
      ) : null}
      <p className="text-muted text-center text-sm">
        Already have an account?{" "}
        <Link href="/sign-in" className="text-accent font-medium underline-offset-4 hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
