"use server";

import "server-only";

import { savePresetSchema } from "@/lib/presets";
import { authedAction } from "@/server/action";
import { savePreset } from "@/server/presets/presets";

/** Saves the create form's current settings as a named preset of the user's. */
export const savePresetAction = authedAction(savePresetSchema, async ({ name, settings }, user) =>
  savePreset(user.id, name, settings),
);
