import "server-only";

import { headers } from "next/headers";

import { clientIpOf } from "@/server/auth/sign-in-limit";

/** The calling client's address inside a request, or null outside one (scripts, tests). */
export async function requestIp(): Promise<string | null> {
  try {
    return clientIpOf(await headers());
  } catch {
    return null;
  }
}
