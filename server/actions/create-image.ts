"use server";

import "server-only";

import { createImageSchema } from "@/lib/generation-input";
import { authedAction } from "@/server/action";
import { getLifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";

import { submitInputRefused } from "./submit-input";

export const createImage = authedAction(
  createImageSchema,
  async (data, user) => submitGeneration(getLifecycleDeps(), { userId: user.id, kind: "create", ...data }),
  { onInvalid: submitInputRefused },
);
