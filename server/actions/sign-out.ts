"use server";

import "server-only";

import { signOut } from "@/server/auth/config";

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
