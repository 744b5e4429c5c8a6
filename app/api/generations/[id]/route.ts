// GET /api/generations/<id> – a job's normalized state for its owner, polling the provider first
// when the last check is older than the backoff allows (under a lease: many tabs, one call).
import { NextResponse } from "next/server";

import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { pollIfDue } from "@/server/generations/poll";
import { getGeneration } from "@/server/generations/queries";
import { withUser } from "@/server/http";

export const GET = withUser<{ id: string }>(async (_request, { user, params: { id } }) => {
  let generation = await getGeneration(user.id, id);
  if (!generation) throw new AppError("not_found", "This job was not found.");
  if (generation.status === "queued" || generation.status === "processing") {
    await pollIfDue(getLifecycleDeps(), id);
    generation = (await getGeneration(user.id, id)) ?? generation;
  }
  return NextResponse.json(generation, { headers: { "cache-control": "no-store" } });
});
