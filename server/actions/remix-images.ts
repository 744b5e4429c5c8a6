"use server";

import "server-only";

import { remixImagesSchema } from "@/lib/generation-input";
import { authedAction } from "@/server/action";
import { getLifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";

import { submitInputRefused } from "./submit-input";

export const remixImages = authedAction(
  remixImagesSchema,
  async (data, user) => submitGeneration(getLifecycleDeps(), { userId: user.id, kind: "remix", ...data }),
  { onInvalid: submitInputRefused },
);
