import "server-only";

import { headers } from "next/headers";

import { clientIpFrom } from "@/server/auth/client-ip";
import { env } from "@/server/env";

/** The calling client's address inside a request, or null outside one (scripts, tests). */
export async function requestIp(): Promise<string | null> {
  let forwardedFor: string | null;
  try {
    forwardedFor = (await headers()).get("x-forwarded-for");
  } catch {
    return null;
  }
  return clientIpFrom(forwardedFor, env.TRUSTED_PROXY_HOPS);
}
