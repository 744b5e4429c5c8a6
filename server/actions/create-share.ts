"use server";

import "server-only";

import { createShareSchema } from "@/lib/shares";
import { authedAction } from "@/server/action";
import { createShare } from "@/server/shares/shares";

/** Makes a public link to one of the user's images or collections. */
export const createShareAction = authedAction(createShareSchema, async (input, user) =>
  createShare(user.id, input),
);
