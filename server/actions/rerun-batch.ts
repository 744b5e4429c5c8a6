"use server";

import "server-only";

import { z } from "zod";

import { idSchema } from "@/lib/ids";
import { authedAction } from "@/server/action";
import { getLifecycleDeps } from "@/server/generations/deps";
import { rerunBatch } from "@/server/generations/vary";

import { submitInputRefused } from "./submit-input";

/** Runs one of the user's batches again, whole. */
export const rerunBatchAction = authedAction(
  z.object({ batchId: idSchema }),
  async ({ batchId }, user) => rerunBatch(getLifecycleDeps(), user.id, batchId),
  { onInvalid: submitInputRefused },
);
