"use server";

import "server-only";

import { signUpSchema } from "@/lib/auth-schemas";
import { signIn } from "@/server/auth/config";
import { createPasswordUser } from "@/server/auth/sign-up";
import type { FormState } from "@/server/actions/form-state";
import { AppError } from "@/server/errors";

import { formError, isRedirect } from "./form-state";

export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = signUpSchema.safeParse({
    name: formData.get("name") || undefined,
    email: formData.get("email"),
    password: formData.get("password"),
  });
  if (!parsed.success) {
    return formError(parsed.error.issues[0]?.message ?? "Check the form and try again.", parsed.error);
  }
  try {
    await createPasswordUser(parsed.data);
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: "/create",
    });
  } catch (error) {
    if (isRedirect(error)) throw error;
    if (error instanceof AppError) return formError(error.message);
    console.error("Sign-up failed", error instanceof Error ? error.name : typeof error);
    return formError("We could not create your account. Try again in a moment.");
  }
  return { status: "idle" };
}
