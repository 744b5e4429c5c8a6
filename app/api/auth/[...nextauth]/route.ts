// GET|POST /api/auth/* – Auth.js endpoints (session, CSRF, OAuth callbacks).
import type { NextRequest } from "next/server";

import { handlers } from "@/server/auth/config";
import { publicRoute } from "@/server/http";

// Auth.js reads the session and answers its own errors; the wrapper only catches what escapes it.
export const GET = publicRoute(async (request) => handlers.GET(request as NextRequest));
export const POST = publicRoute(async (request) => handlers.POST(request as NextRequest));
