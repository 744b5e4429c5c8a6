// GET /api/generations/active?wait=<s>&cursor=<c> – all of the user's running jobs in one long
// poll, with those that ended since the cursor: one request per tab however many jobs it shows.
import { NextResponse } from "next/server";

import { activeQuerySchema } from "@/lib/live-query";
import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { waitForActiveJobs } from "@/server/generations/live";
import { withUser } from "@/server/http";

export const GET = withUser(async (request, { user }) => {
  const parsed = activeQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message);
  const active = await waitForActiveJobs(getLifecycleDeps(), user.id, {
    waitMs: (parsed.data.wait ?? 0) * 1000,
    cursor: parsed.data.cursor,
    signal: request.signal,
  });
  return NextResponse.json(active, { headers: { "cache-control": "no-store" } });
});
