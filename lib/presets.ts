import "./zod-csp";

import { z } from "zod";

import { createImageSchema } from "./generation-input";
import { ID_PATTERN } from "./ids";

export const PRESET_NAME_MAX = 60;
/** Enough for anyone; a bound so the create page lists them in one query. */
export const PRESETS_MAX = 100;

export const presetNameSchema = z
  .string({ error: "Give the preset a name." })
  .trim()
  .min(1, "Give the preset a name.")
  .max(PRESET_NAME_MAX, `A preset's name can be at most ${PRESET_NAME_MAX} characters.`);

// How many images to make is chosen per submit, not kept in a preset.
const { count: _count, ...createSettings } = createImageSchema.shape;

/**
 * What a preset keeps: the create form's settings, checked exactly as a submit checks them (a seed
 * means "locked to this number", none means random).
 */
export const presetSettingsSchema = z.object(createSettings, {
  error: "Write a prompt and choose the settings to save.",
});
export type PresetSettings = z.output<typeof presetSettingsSchema>;

const presetId = z
  .string({ error: "That preset no longer exists." })
  .regex(ID_PATTERN, "That preset no longer exists.");

export const savePresetSchema = z.object({ name: presetNameSchema, settings: presetSettingsSchema });
export const renamePresetSchema = z.object({ id: presetId, name: presetNameSchema });
export const presetRefSchema = z.object({ id: presetId });

export interface PresetDto {
  id: string;
  name: string;
  settings: PresetSettings;
}

/** One line saying what a preset sets, for lists. */
export function describePreset(
  settings: PresetSettings,
  providerLabel: (id: PresetSettings["provider"]) => string,
) {
  return [
    settings.aspectRatio,
    settings.seed === undefined ? "random seed" : `seed ${settings.seed}`,
    providerLabel(settings.provider),
    settings.negativePrompt ? "negative prompt" : null,
  ]
    .filter(Boolean)
    .join(" · ");
}
