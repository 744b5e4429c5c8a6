"use server";

import "server-only";

import { idSchema } from "@/lib/ids";
import { authedAction } from "@/server/action";
import { AppError } from "@/server/errors";
import { deleteGenerationForUser } from "@/server/generations/delete-generation";

/** Deletes a finished generation, its images and the uploads only it used. */
export const deleteGeneration = authedAction(
  idSchema,
  async (id, user) => {
    await deleteGenerationForUser(user.id, id);
    return null;
  },
  { onInvalid: () => new AppError("not_found", "That generation no longer exists.") },
);
