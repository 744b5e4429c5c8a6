// POST /api/session/end[?everywhere=1] – signs out (on every device with everywhere=1);
// GET /api/session/end – clears a session that ended elsewhere. Both land on /sign-in with
// Clear-Site-Data.
import { endSession } from "@/server/auth/end-session";
import { publicRoute } from "@/server/http";

// No session needed: signing out must work with a revoked cookie, or none.
export const POST = publicRoute(async (request) =>
  endSession(
    request,
    new URL(request.url).searchParams.get("everywhere") === "1" ? "everywhere" : "this-device",
  ),
);

export const GET = publicRoute(async (request) => endSession(request, "if-ended"));
