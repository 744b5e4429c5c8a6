// GET /api/generations – the signed-in user's gallery, newest first, one page per call.
import { NextResponse } from "next/server";

import { requireUser } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { listGenerations } from "@/server/generations/queries";
import { jsonError } from "@/server/http";

import { listGenerationsQuery } from "./schema";

// Prisma's `contains` becomes ILIKE '%…%' with the text as is: a search for "50%" or "a_b" must match
// those characters, not use them as wildcards.
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function GET(request: Request) {
  try {
    const user = await requireUser();
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = listGenerationsQuery.safeParse(params);
    if (!parsed.success) {
      throw new AppError(
        "invalid_input",
        parsed.error.issues[0]?.message ?? "The gallery filters are not valid.",
      );
    }
    const { q, ...filter } = parsed.data;
    const page = await listGenerations(user.id, {
      ...filter,
      q: q === undefined ? undefined : likeLiteral(q),
    });
    return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return jsonError(error);
  }
}
