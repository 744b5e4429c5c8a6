import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { env } from "@/server/env";
import { AppError } from "@/server/errors";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Lets a scrape through only with `Authorization: Bearer <METRICS_TOKEN>`, compared in constant
 * time (both sides hashed first, so their lengths say nothing). With no token set the route does
 * not exist: 404. A missing or wrong token: 401.
 */
export function authorizeMetrics(header: string | null, token: string | undefined = env.METRICS_TOKEN): void {
  if (!token) throw new AppError("not_found", "Not found.");
  const given = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new AppError("unauthorized", "A valid metrics token is required.");
  }
}
