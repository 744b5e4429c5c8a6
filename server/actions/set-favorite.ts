"use server";

import "server-only";

import { z } from "zod";

import { idSchema } from "@/lib/ids";
import { authedAction } from "@/server/action";
import { AppError } from "@/server/errors";
import { setFavoriteForUser } from "@/server/generations/set-favorite";

const input = z.object({ id: idSchema, favorite: z.boolean() });

/** Marks or unmarks one of the user's own generations as a favorite. */
export const setFavorite = authedAction(
  input,
  async ({ id, favorite }, user) => setFavoriteForUser(user.id, id, favorite),
  { onInvalid: () => new AppError("invalid_input", "That generation cannot be marked.") },
);
