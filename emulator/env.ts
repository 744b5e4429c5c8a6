import { z } from "zod";

import { DEFAULT_CONFIG, type EmulatorConfig } from "./config";

// The emulator's own variables, read by main.ts only; tests pass their config directly.

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes", "on"].includes(v)));

const key = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? fallback : v.trim()));

export const emulatorEnvSchema = z.object({
  EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  EMULATOR_PORT: int(4010, 0, 65_535),
  EMULATOR_JOB_MS: int(DEFAULT_CONFIG.jobMs),
  EMULATOR_FAIL_RATE: z.coerce.number().min(0).max(1).default(DEFAULT_CONFIG.failRate),
  EMULATOR_WEBHOOK_REPEAT: int(DEFAULT_CONFIG.webhookRepeat, 1, 100),
  EMULATOR_WEBHOOK_DELAY_MS: int(DEFAULT_CONFIG.webhookDelayMs),
  EMULATOR_WEBHOOK_JITTER_MS: int(DEFAULT_CONFIG.webhookJitterMs),
  EMULATOR_WEBHOOK_HTTPS_TO_HTTP: bool(DEFAULT_CONFIG.webhookHttpsToHttp),
  EMULATOR_FILE_TTL_MS: int(DEFAULT_CONFIG.fileTtlMs),
  EMULATOR_REVEART_RATE_LIMIT: int(DEFAULT_CONFIG.reveartRateLimitPerMinute),
  EMULATOR_PUBLIC_URL: z.union([z.url(), z.literal("")]).default(""),
  EMULATOR_QUIET: bool(false),
  EMULATOR_PIXAZO_KEY: key(DEFAULT_CONFIG.pixazoKey),
  EMULATOR_APIFRAME_KEY: key(DEFAULT_CONFIG.apiframeKey),
  EMULATOR_REVE2IMG_KEY: key(DEFAULT_CONFIG.reve2imgKey),
  EMULATOR_REVEART_KEY: key(DEFAULT_CONFIG.reveartKey),
});

export interface EmulatorStartOptions {
  host: string;
  port: number;
  config: Partial<EmulatorConfig>;
}

/** Parses the EMULATOR_* variables; throws one message naming every bad variable. */
export function optionsFromEnv(source: Record<string, string | undefined>): EmulatorStartOptions {
  const result = emulatorEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid emulator environment:\n${lines.join("\n")}`);
  }
  const e = result.data;
  return {
    host: e.EMULATOR_HOST,
    port: e.EMULATOR_PORT,
    config: {
      jobMs: e.EMULATOR_JOB_MS,
      failRate: e.EMULATOR_FAIL_RATE,
      webhookRepeat: e.EMULATOR_WEBHOOK_REPEAT,
      webhookDelayMs: e.EMULATOR_WEBHOOK_DELAY_MS,
      webhookJitterMs: e.EMULATOR_WEBHOOK_JITTER_MS,
      webhookHttpsToHttp: e.EMULATOR_WEBHOOK_HTTPS_TO_HTTP,
      fileTtlMs: e.EMULATOR_FILE_TTL_MS,
      reveartRateLimitPerMinute: e.EMULATOR_REVEART_RATE_LIMIT,
      publicUrl: e.EMULATOR_PUBLIC_URL,
      printRequests: !e.EMULATOR_QUIET,
      pixazoKey: e.EMULATOR_PIXAZO_KEY,
      apiframeKey: e.EMULATOR_APIFRAME_KEY,
      reve2imgKey: e.EMULATOR_REVE2IMG_KEY,
      reveartKey: e.EMULATOR_REVEART_KEY,
    },
  };
}
