"use server";

import "server-only";

import { z } from "zod";

import { idSchema } from "@/lib/ids";
import { authedAction } from "@/server/action";
import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { varyGeneration } from "@/server/generations/vary";

/** Makes one of the user's images again with the same prompt and settings and a new seed. */
export const varyImage = authedAction(
  z.object({ id: idSchema }),
  async ({ id }, user) => varyGeneration(getLifecycleDeps(), user.id, id),
  // An id that is not one names nothing of the user's: answered like a missing image.
  { onInvalid: () => new AppError("not_found", "That image was not found.", { nothingCharged: true }) },
);
