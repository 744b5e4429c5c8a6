// GET /api/account/verify-email?email=…&token=… – the link mailed at sign-up; grants the welcome credits.
import { NextResponse } from "next/server";

import { verifyEmail } from "@/server/auth/email-verification";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { publicRoute } from "@/server/http";

export const GET = publicRoute(async (request) => {
  const url = new URL(request.url);
  const email = url.searchParams.get("email") ?? "";
  const token = url.searchParams.get("token") ?? "";
  const ok = await verifyEmail(email, token).then(
    () => true,
    (error: unknown) => {
      if (error instanceof AppError) return false;
      throw error;
    },
  );
  return NextResponse.redirect(new URL(`/credits?verified=${ok ? "yes" : "expired"}`, env.APP_URL), 303);
});
