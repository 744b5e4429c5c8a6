"use server";

import "server-only";

import { z } from "zod";

import { idSchema } from "@/lib/ids";
import { authedAction } from "@/server/action";
import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { rerunBatch } from "@/server/generations/vary";

/** Runs one of the user's batches again, whole. */
export const rerunBatchAction = authedAction(
  z.object({ batchId: idSchema }),
  async ({ batchId }, user) => rerunBatch(getLifecycleDeps(), user.id, batchId),
  // An id that is not one names nothing of the user's: answered like a missing batch.
  { onInvalid: () => new AppError("not_found", "That batch was not found.", { nothingCharged: true }) },
);
