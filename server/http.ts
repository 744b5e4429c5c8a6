import "server-only";

import { NextResponse } from "next/server";

import { AppError } from "@/server/errors";

/** The JSON error answer of every route handler: a code, a safe message, the right status. */
export function jsonError(error: unknown): NextResponse {
  if (error instanceof AppError) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message } },
      {
        status: error.status,
        headers: error.retryAfter ? { "retry-after": String(error.retryAfter) } : undefined,
      },
    );
  }
  console.error("Unhandled route error", error instanceof Error ? error.name : typeof error);
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on our side. Try again." } },
    { status: 500 },
  );
}
