"use server";

import "server-only";

import { AuthError } from "next-auth";
import { z } from "zod";

import { signInSchema } from "@/lib/auth-schemas";
import { formAction, publicAction } from "@/server/action";
import { signIn, TooManySignInAttempts } from "@/server/auth/config";
import { AppError } from "@/server/errors";

const input = signInSchema.extend({ next: z.string().optional() });

export const signInAction = formAction(
  publicAction(
    input,
    async ({ email, password, next = "" }) => {
      try {
        await signIn("credentials", {
          email,
          password,
          // Only same-site paths: an open redirect would let a link send users anywhere.
          redirectTo: next.startsWith("/") && !next.startsWith("//") ? next : "/create",
        });
      } catch (error) {
        if (error instanceof TooManySignInAttempts) throw new AppError("rate_limited", error.userMessage);
        if (error instanceof AuthError) throw new AppError("unauthorized", "Wrong email or password.");
        throw error;
      }
      return null;
    },
    { unexpectedMessage: "We could not sign you in. Try again in a moment." },
  ),
);
