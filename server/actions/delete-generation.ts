"use server";

import "server-only";

import { z } from "zod";

import { requireUser } from "@/server/auth/session";
import { type ActionResult, AppError, toActionError } from "@/server/errors";
import { deleteGenerationForUser } from "@/server/generations/delete-generation";

const generationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Deletes a finished generation, its images and the uploads only it used. */
export async function deleteGeneration(id: string): Promise<ActionResult<null>> {
  try {
    const user = await requireUser();
    const parsed = generationId.safeParse(id);
    if (!parsed.success) throw new AppError("not_found", "That generation no longer exists.");
    await deleteGenerationForUser(user.id, parsed.data);
    return { ok: true, data: null };
  } catch (error) {
    return toActionError(error);
  }
}
