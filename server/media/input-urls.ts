import "server-only";

import { env } from "@/server/env";

import { signedMediaUrl } from "./signed-url";

/** The URL a reseller fetches one of our stored input images from, signed for MEDIA_URL_TTL_SECONDS. */
export function inputUrlFor(storageKey: string): string {
  return signedMediaUrl(env.APP_URL, storageKey, env.MEDIA_URL_TTL_SECONDS, env.MEDIA_SIGNING_SECRET);
}
