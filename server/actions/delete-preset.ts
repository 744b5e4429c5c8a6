"use server";

import "server-only";

import { presetRefSchema } from "@/lib/presets";
import { authedAction } from "@/server/action";
import { deletePreset } from "@/server/presets/presets";

/** Deletes one of the user's presets. */
export const deletePresetAction = authedAction(presetRefSchema, async ({ id }, user) =>
  deletePreset(user.id, id),
);
