// GET /api/generations – the signed-in user's gallery, newest first, one page per call.
import { NextResponse } from "next/server";

import { galleryQuerySchema } from "@/lib/gallery-filter";
import { AppError } from "@/server/errors";
import { listGenerations } from "@/server/generations/queries";
import { withUser } from "@/server/http";

export const GET = withUser(async (request, { user }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = galleryQuerySchema.safeParse(params);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      parsed.error.issues[0]?.message ?? "The gallery filters are not valid.",
    );
  }
  const page = await listGenerations(user.id, parsed.data);
  return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
});
