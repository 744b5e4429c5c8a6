// GET /api/generations/<id>?wait=<s>&since=<status> – a job's normalized state for its owner. With
// `wait` it answers once the job's status differs from `since` (or from the status it first read),
// or when the wait ends; a due provider poll runs first, under a lease (many tabs, one call).
import { NextResponse } from "next/server";

import { statusQuerySchema } from "@/lib/live-query";
import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { waitForGeneration } from "@/server/generations/live";
import { withUser } from "@/server/http";

export const GET = withUser<{ id: string }>(async (request, { user, params: { id } }) => {
  const parsed = statusQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message);
  const generation = await waitForGeneration(getLifecycleDeps(), user.id, id, {
    waitMs: (parsed.data.wait ?? 0) * 1000,
    since: parsed.data.since,
    signal: request.signal,
  });
  return NextResponse.json(generation, { headers: { "cache-control": "no-store" } });
});
