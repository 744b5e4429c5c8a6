// GET|POST /api/auth/* – Auth.js endpoints (session, CSRF, OAuth callbacks).
import { NextRequest } from "next/server";

import { AUTH_BODY_MAX_BYTES, handlers } from "@/server/auth/config";
import { publicRoute } from "@/server/http";
import { readBody } from "@/server/read-body";

// Auth.js reads the session and answers its own errors; the wrapper only catches what escapes it.
export const GET = publicRoute(async (request) => handlers.GET(request as NextRequest));
// Its forms (credentials, sign-out, an OAuth form_post) are a few fields: the body is read under a
// cap first, and Auth.js reads that copy.
export const POST = publicRoute(async (request) => {
  const body = await readBody(request, { maxBytes: AUTH_BODY_MAX_BYTES });
  return handlers.POST(new NextRequest(request.url, { method: "POST", headers: request.headers, body }));
});
