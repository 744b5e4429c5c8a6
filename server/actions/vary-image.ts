"use server";

import "server-only";

import { z } from "zod";

import { idSchema } from "@/lib/ids";
import { authedAction } from "@/server/action";
import { getLifecycleDeps } from "@/server/generations/deps";
import { varyGeneration } from "@/server/generations/vary";

import { submitInputRefused } from "./submit-input";

/** Makes one of the user's images again with the same prompt and settings and a new seed. */
export const varyImage = authedAction(
  z.object({ id: idSchema }),
  async ({ id }, user) => varyGeneration(getLifecycleDeps(), user.id, id),
  { onInvalid: submitInputRefused },
);
