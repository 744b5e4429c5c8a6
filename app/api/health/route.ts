// GET /api/health – for load balancers and monitors: 200 while this instance reaches its database
// (with `degraded` when jobs sit open past their deadline), 503 when it cannot. No session needed;
// it tells nothing about any user or setting.
import { NextResponse } from "next/server";

import { publicRoute } from "@/server/http";
import { checkHealth } from "@/server/ops/health";

export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return NextResponse.json(health, {
    status: health.database === "up" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
});
