// GET /api/me – the signed-in user and their live credit balance.
import { NextResponse } from "next/server";

import { getAccount } from "@/server/account/get-account";
import { withUser } from "@/server/http";

export const GET = withUser(async (_request, { user }) =>
  NextResponse.json(await getAccount(user.id), { headers: { "cache-control": "no-store" } }),
);
