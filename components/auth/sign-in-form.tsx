"use client";

import Link from "next/link";
import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { signInAction } from "@/server/actions/sign-in";

export function SignInForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState(signInAction, null);
  const error = state?.ok === false ? state.error : undefined;
  const fieldErrors = error?.fieldErrors;
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next ?? ""} />
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
        autoComplete="current-password"
        required
        error={fieldErrors?.password}
      />
      {error && !fieldErrors?.email && !fieldErrors?.password ? <FormAlert>{error.message}</FormAlert> : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-muted text-center text-sm">
        New here?{" "}
        <Link href="/sign-up" className="text-accent font-medium underline-offset-4 hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
