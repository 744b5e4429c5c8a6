// GET /api/me – the signed-in user and their live credit balance.
import { NextResponse } from "next/server";

import { getAccount } from "@/server/account/get-account";
import { jsonError } from "@/server/http";
import { requireUser } from "@/server/auth/session";

export async function GET() {
  try {
    const user = await requireUser();
    return NextResponse.json(await getAccount(user.id), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return jsonError(error);
  }
}
