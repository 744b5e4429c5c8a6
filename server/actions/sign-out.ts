"use server";

import "server-only";

import { z } from "zod";

import { plainFormAction, publicAction } from "@/server/action";
import { signOut } from "@/server/auth/config";

// Ends the session and goes to the sign-in page; the form's fields are ignored.
export const signOutAction = plainFormAction(
  publicAction(z.unknown(), async () => {
    await signOut({ redirectTo: "/sign-in" });
  }),
);
