// GET /api/health – for load balancers and monitors: 200 while this instance reaches its database
// (with `degraded` when jobs sit open past their deadline), 503 when it cannot. No session needed;
// it tells nothing about any user or setting.
import { NextResponse } from "next/server";

import { db } from "@/server/db/client";
import { checkHealth } from "@/server/ops/health";

export async function GET() {
  const health = await checkHealth(db);
  return NextResponse.json(health, {
    status: health.database === "up" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
