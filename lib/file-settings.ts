import { z } from "zod";

import {
  ASPECT_RATIOS,
  NEGATIVE_PROMPT_MAX,
  OPERATIONS,
  PROMPT_MAX,
  PROVIDER_IDS,
  SEED_MAX,
} from "@/lib/domain";

/**
 * The settings a downloaded image carries in its own metadata, as read back from a dropped file.
 * The file may come from anywhere: every field is checked for length and vocabulary, and anything
 * unknown refuses the whole record.
 */
export const fileSettingsSchema = z.strictObject({
  prompt: z.string().min(1).max(PROMPT_MAX),
  negativePrompt: z.string().max(NEGATIVE_PROMPT_MAX).nullable(),
  aspectRatio: z.enum(ASPECT_RATIOS).nullable(),
  seed: z.number().int().min(0).max(SEED_MAX).nullable(),
  provider: z.enum(PROVIDER_IDS).nullable(),
  operation: z.enum(OPERATIONS),
  studioUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable(),
});
export type FileSettings = z.infer<typeof fileSettingsSchema>;

/** What POST /api/file-settings answers: the settings, or null for a file from elsewhere. */
export const fileSettingsAnswerSchema = z.strictObject({ settings: fileSettingsSchema.nullable() });
export type FileSettingsAnswer = z.infer<typeof fileSettingsAnswerSchema>;
