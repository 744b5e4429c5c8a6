// GET /api/billing/purchases/<checkout session id> – one of the user's purchases and their balance.
import { NextResponse } from "next/server";

import { getPurchase } from "@/server/billing/checkout";
import { withUser } from "@/server/http";

export const GET = withUser<{ id: string }>(async (_request, { user, params }) =>
  NextResponse.json(await getPurchase(user.id, params.id), { headers: { "cache-control": "no-store" } }),
);
