"use server";

import "server-only";

import { z } from "zod";

import { requireUser } from "@/server/auth/session";
import { type ActionResult, AppError, toActionError } from "@/server/errors";
import { setFavoriteForUser } from "@/server/generations/set-favorite";

const input = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), favorite: z.boolean() });

export async function setFavorite(
  id: string,
  favorite: boolean,
): Promise<ActionResult<{ favorite: boolean }>> {
  try {
    const user = await requireUser();
    const parsed = input.safeParse({ id, favorite });
    if (!parsed.success) throw new AppError("invalid_input", "That generation cannot be marked.");
    return { ok: true, data: await setFavoriteForUser(user.id, parsed.data.id, parsed.data.favorite) };
  } catch (error) {
    return toActionError(error);
  }
}
