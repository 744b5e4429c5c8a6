"use server";

import "server-only";

import { AuthError } from "next-auth";

import { signInSchema } from "@/lib/auth-schemas";
import { signIn, TooManySignInAttempts } from "@/server/auth/config";
import { AppError } from "@/server/errors";

import type { FormState } from "./form-state";
import { formError, isRedirect } from "./form-state";

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) {
    return formError(parsed.error.issues[0]?.message ?? "Check the form and try again.", parsed.error);
  }
  const next = String(formData.get("next") ?? "");
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      // Only same-site paths: an open redirect would let a link send users anywhere.
      redirectTo: next.startsWith("/") && !next.startsWith("//") ? next : "/create",
    });
  } catch (error) {
    if (isRedirect(error)) throw error;
    if (error instanceof TooManySignInAttempts) return formError(error.userMessage);
    if (error instanceof AppError) return formError(error.message);
    if (error instanceof AuthError) return formError("Wrong email or password.");
    console.error("Sign-in failed", error instanceof Error ? error.name : typeof error);
    return formError("We could not sign you in. Try again in a moment.");
  }
  return { status: "idle" };
}
