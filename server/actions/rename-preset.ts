"use server";

import "server-only";

import { renamePresetSchema } from "@/lib/presets";
import { authedAction } from "@/server/action";
import { renamePreset } from "@/server/presets/presets";

/** Renames one of the user's presets. */
export const renamePresetAction = authedAction(renamePresetSchema, async ({ id, name }, user) =>
  renamePreset(user.id, id, name),
);
