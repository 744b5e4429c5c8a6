"use server";

import "server-only";

import { bulkDeleteMessage, bulkTargetSchema } from "@/lib/bulk";
import { authedAction } from "@/server/action";
import { deleteMany } from "@/server/generations/bulk-delete";

/** Deletes the selected generations (or all the filter matches); answers with counts. */
export const deleteGenerations = authedAction(bulkTargetSchema, async (target, user) => {
  const result = await deleteMany(user.id, target);
  return { ...result, message: bulkDeleteMessage(result) };
});
