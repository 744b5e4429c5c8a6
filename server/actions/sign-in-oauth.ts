"use server";

import "server-only";

import { z } from "zod";

import { plainFormAction, publicAction } from "@/server/action";
import { oauthProviders, signIn } from "@/server/auth/config";

// Only the providers this studio has switched on; anything else is refused before Auth.js.
const input = z.object({ provider: z.string().refine((id) => oauthProviders.some((p) => p.id === id)) });

/** Sends the browser to the chosen OAuth provider (a button on the sign-in and sign-up pages). */
export const signInWithOAuth = plainFormAction(
  publicAction(input, async ({ provider }) => {
    await signIn(provider, { redirectTo: "/create" });
  }),
);
