"use server";

import "server-only";

import { editImageSchema } from "@/lib/generation-input";
import { authedAction } from "@/server/action";
import { getLifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";

import { submitInputRefused } from "./submit-input";

export const editImage = authedAction(
  editImageSchema,
  async ({ assetId, ...data }, user) =>
    submitGeneration(getLifecycleDeps(), { userId: user.id, kind: "edit", assetIds: [assetId], ...data }),
  { onInvalid: submitInputRefused },
);
