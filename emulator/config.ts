import { z } from "zod";

import type { Operation } from "@/lib/domain";

/** How a reve2img model behaves: which operation it serves and whether it answers at once. */
export interface Reve2imgModel {
  operation: Operation;
  /** Synchronous models answer the submit with the finished result. */
  sync: boolean;
  creditsPerImage: number;
}

export interface EmulatorConfig {
  /** Duration of a job from submit to its terminal state. */
  jobMs: number;
  /** Share (0..1) of jobs that fail, chosen deterministically from the job id. */
  failRate: number;
  /** Each webhook is delivered this many times. */
  webhookRepeat: number;
  /** Extra delay before every (re)delivery. */
  webhookDelayMs: number;
  /** Random extra delay (0..this) per delivery, so some arrive late and out of order. */
  webhookJitterMs: number;
  /** Deliver https:// callbacks over plain http to the same host:port (a stand-in for a TLS proxy). */
  webhookHttpsToHttp: boolean;
  /** Result files answer 404 this long after the job ended; 0 keeps them. */
  fileTtlMs: number;
  /** reve-art generate requests allowed per minute and key; 0 turns the limit off. */
  reveartRateLimitPerMinute: number;
  pixazoKey: string;
  apiframeKey: string;
  reve2imgKey: string;
  reveartKey: string;
  reve2imgModels: Record<string, Reve2imgModel>;
  /** Base of the result URLs; empty uses the emulator's own URL. */
  publicUrl: string;
  /** Print one line per request to stdout. */
  printRequests: boolean;
}

export const DEFAULT_REVE2IMG_MODELS: Record<string, Reve2imgModel> = {
  "reve-image": { operation: "create", sync: false, creditsPerImage: 12 },
  "reve-2.0": { operation: "create", sync: true, creditsPerImage: 12 },
  "reve-edit": { operation: "edit", sync: false, creditsPerImage: 12 },
  "reve-remix": { operation: "remix", sync: false, creditsPerImage: 12 },
};

export const DEFAULT_CONFIG: EmulatorConfig = {
  jobMs: 3000,
  failRate: 0,
  webhookRepeat: 1,
  webhookDelayMs: 0,
  webhookJitterMs: 0,
  webhookHttpsToHttp: false,
  fileTtlMs: 0,
  reveartRateLimitPerMinute: 0,
  pixazoKey: "emu-pixazo-key",
  apiframeKey: "emu-apiframe-key",
  reve2imgKey: "sk-emu-reve2img-key",
  reveartKey: "emu-reveart-key",
  reve2imgModels: DEFAULT_REVE2IMG_MODELS,
  publicUrl: "",
  printRequests: true,
};

const reve2imgModelSchema = z.object({
  operation: z.enum(["create", "edit", "remix"]),
  sync: z.boolean(),
  creditsPerImage: z.number().int().min(0),
});

/** A partial config as sent to `POST /__emulator/config`; unknown fields are an error. */
export const configPatchSchema = z
  .object({
    jobMs: z.number().int().min(0),
    failRate: z.number().min(0).max(1),
    webhookRepeat: z.number().int().min(1).max(100),
    webhookDelayMs: z.number().int().min(0),
    webhookJitterMs: z.number().int().min(0),
    webhookHttpsToHttp: z.boolean(),
    fileTtlMs: z.number().int().min(0),
    reveartRateLimitPerMinute: z.number().int().min(0),
    pixazoKey: z.string().min(1),
    apiframeKey: z.string().min(1),
    reve2imgKey: z.string().min(1),
    reveartKey: z.string().min(1),
    reve2imgModels: z.record(z.string().min(1), reve2imgModelSchema),
    publicUrl: z.union([z.url(), z.literal("")]),
    printRequests: z.boolean(),
  })
  .partial()
  .strict();

export type ConfigPatch = z.infer<typeof configPatchSchema>;

const KEY_FIELDS = ["pixazoKey", "apiframeKey", "reve2imgKey", "reveartKey"] as const;

/** The config without the accepted keys, for the admin endpoint. */
export function publicConfig(config: EmulatorConfig): Omit<EmulatorConfig, (typeof KEY_FIELDS)[number]> {
  const copy: Partial<EmulatorConfig> = { ...config };
  for (const field of KEY_FIELDS) delete copy[field];
  return copy as Omit<EmulatorConfig, (typeof KEY_FIELDS)[number]>;
}
