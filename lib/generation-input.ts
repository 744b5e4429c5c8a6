import "./zod-csp";

import { z } from "zod";

import {
  ASPECT_RATIOS,
  MAX_REFERENCES,
  NEGATIVE_PROMPT_MAX,
  PROMPT_MAX,
  BATCH_MAX,
  PROVIDER_IDS,
  SEED_MAX,
} from "./domain";

// The inputs of the three submit actions. The forms validate with these as the user types; the
// actions validate again, since anything can be posted to them.

// Control characters other than tab and newlines have no place in a prompt.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const promptSchema = z
  .string({ error: "Write a prompt." })
  .trim()
  .min(1, "Write a prompt.")
  .max(PROMPT_MAX, `Keep the prompt under ${PROMPT_MAX.toLocaleString("en")} characters.`)
  .refine((v) => !CONTROL.test(v), "The prompt contains control characters. Remove them and try again.");

const negativePromptSchema = z
  .string()
  .trim()
  .max(
    NEGATIVE_PROMPT_MAX,
    `Keep the negative prompt under ${NEGATIVE_PROMPT_MAX.toLocaleString("en")} characters.`,
  )
  .refine((v) => !CONTROL.test(v), "The negative prompt contains control characters.")
  .optional()
  .transform((v) => (v ? v : undefined));

const aspectRatioSchema = z.enum(ASPECT_RATIOS, {
  error: `Pick one of the aspect ratios: ${ASPECT_RATIOS.join(", ")}.`,
});

const seedSchema = z
  .number({ error: "The seed must be a whole number." })
  .int("The seed must be a whole number.")
  .min(0, "The seed cannot be negative.")
  .max(SEED_MAX, `The seed must be at most ${SEED_MAX.toLocaleString("en")}.`)
  .optional();

const providerSchema = z
  .enum(["auto", ...PROVIDER_IDS], { error: "Pick a provider or Auto." })
  .default("auto");

// An id that is empty or not text names no image of the user's; say so rather than quote the schema.
const idSchema = z
  .string({ error: "That image was not found." })
  .min(1, "That image was not found.")
  .max(64, "That image was not found.");

const countMessage = `Make 1 to ${BATCH_MAX} images at once.`;
const countSchema = z
  .number({ error: countMessage })
  .int(countMessage)
  .min(1, countMessage)
  .max(BATCH_MAX, countMessage)
  .default(1);

export const createImageSchema = z.object({
  prompt: promptSchema,
  negativePrompt: negativePromptSchema,
  aspectRatio: aspectRatioSchema.default("1:1"),
  seed: seedSchema,
  provider: providerSchema,
  /** How many images, each its own job and hold, shown together as one batch. */
  count: countSchema,
});

export const editImageSchema = z.object({
  prompt: promptSchema,
  assetId: idSchema,
  /** The generation whose output is being edited, so the chain can be shown. */
  parentId: idSchema.optional(),
  provider: providerSchema,
});

export const remixImagesSchema = z.object({
  prompt: promptSchema,
  assetIds: z
    .array(idSchema, { error: "Add at least one reference image." })
    .min(1, "Add at least one reference image.")
    .max(MAX_REFERENCES, `A remix takes at most ${MAX_REFERENCES} reference images.`),
  aspectRatio: aspectRatioSchema.optional(),
  parentId: idSchema.optional(),
  provider: providerSchema,
});

export type CreateImageInput = z.input<typeof createImageSchema>;
export type EditImageInput = z.input<typeof editImageSchema>;
export type RemixImagesInput = z.input<typeof remixImagesSchema>;
