import "server-only";

import { z } from "zod";

import { parseCreditPacks } from "@/lib/credit-packs";
import { PROVIDER_IDS } from "@/lib/domain";

// Every variable the server reads, parsed once. `.env.example` documents each one. With none set,
// the defaults serve the embedded studio: PGlite under ./data, media on disk, the local emulator.

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes", "on"].includes(v)));

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** A whole number, or undefined when unset or empty. */
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
    .pipe(z.coerce.number<string | undefined>().int().min(min).max(max).optional());

/** A price in US dollars (up to 1,000), or undefined when unset or empty. */
const optionalUsd = (fallback?: number) =>
  z
    .string()
    .prefault("")
    .transform((v) => (v.trim() === "" ? fallback : Number(v.trim())))
    .pipe(
      z
        .number({ error: "must be a price in US dollars, like 0.06" })
        .min(0, "must be a price in US dollars, like 0.06")
        .max(1000, "must be at most 1000 US dollars")
        .optional(),
    );

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
  .pipe(z.url().optional());

const secret = z
  .string({ error: "is required (at least 32 characters); `npm start` generates one under ./data" })
  .min(32, "must be at least 32 characters");

const providerList = z
  .string()
  .default(PROVIDER_IDS.join(","))
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(PROVIDER_IDS)));

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Public base URL of the studio; callbacks and signed media URLs are built on it. */
  APP_URL: z.url().default("http://localhost:3000"),
  DATA_DIR: z.string().default("./data"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),

  // Database
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  PGLITE_DIR: optionalString,

  // Auth
  AUTH_SECRET: secret,
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  SIGNUP_CREDITS: int(50, 0, 1_000_000),
  /** Sign-up attempts from one address in an hour, counted before any password is hashed. */
  SIGNUP_ATTEMPTS_PER_IP_PER_HOUR: int(5, 1, 1_000_000),
  /** Accounts from one address in a day that get the welcome credits; later ones start at 0. */
  SIGNUP_CREDITS_PER_IP_PER_DAY: int(3, 0, 1_000_000),
  /** Welcome credits the whole studio gives in a day; past it, new accounts start at 0. */
  SIGNUP_CREDITS_DAILY_BUDGET: int(5000, 0, 100_000_000),
  /** required: welcome credits only once the email address is verified (needs SMTP_URL). */
  EMAIL_VERIFICATION: z.enum(["off", "required"]).default("off"),
  /** smtp://user:pass@host:port or smtps://… for nodemailer. */
  SMTP_URL: optionalString,
  EMAIL_FROM: z.string().default("Reve Studio <no-reply@localhost>"),
  /** Proxies in front of the studio that append to X-Forwarded-For; 0: the socket's address. */
  TRUSTED_PROXY_HOPS: int(0, 0, 10),

  // Prices in credits, held on submit and refunded on failure.
  PRICE_CREATE: int(1, 0, 1000),
  PRICE_EDIT: int(2, 0, 1000),
  PRICE_REMIX: int(2, 0, 1000),
  /** What each reseller charges the studio per finished job, for the admin overview's estimate. */
  PRICE_USD_PIXAZO: optionalUsd(0.06),
  PRICE_USD_APIFRAME: optionalUsd(),
  PRICE_USD_REVE2IMG: optionalUsd(),
  PRICE_USD_REVEART: optionalUsd(),

  // Limits
  RATE_LIMIT_SUBMITS_PER_MINUTE: int(10, 1, 10_000),
  MAX_JOBS_IN_FLIGHT: int(4, 1, 1000),
  JOB_DEADLINE_SECONDS: int(600, 10, 86_400),
  /** Sign-in guesses per account from devices that never signed into it, per 5 minutes. */
  SIGNIN_ATTEMPTS_PER_ACCOUNT_PER_5_MINUTES: int(10, 1, 10_000),
  /** Sign-in guesses per client address and email, per 15 minutes (and four times that per day). */
  SIGNIN_ATTEMPTS_PER_IP_AND_EMAIL_PER_15_MINUTES: int(5, 1, 10_000),
  /** Sign-ins and sign-ups per client address, across all emails, per 15 minutes. */
  SIGNIN_ATTEMPTS_PER_IP_PER_15_MINUTES: int(50, 1, 1_000_000),
  UPLOAD_MAX_BYTES: int(20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  UPLOAD_MAX_PIXELS: int(50_000_000, 1_000_000, 500_000_000),
  OUTPUT_MAX_BYTES: int(40 * 1024 * 1024, 1024, 500 * 1024 * 1024),

  // Media
  MEDIA_SIGNING_SECRET: secret,
  MEDIA_URL_TTL_SECONDS: int(3600, 60, 7 * 86_400),
  /** host[:port] entries that output downloads may reach over http or on private addresses. */
  MEDIA_FETCH_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  S3_BUCKET: optionalString,
  S3_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: optionalUrl,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: bool(false),

  // Lifecycle
  WEBHOOKS_ENABLED: bool(true),
  /** Base URL the resellers call back on; defaults to APP_URL. */
  WEBHOOK_BASE_URL: optionalUrl,
  POLLER_ENABLED: bool(true),
  POLLER_INTERVAL_MS: int(1000, 100, 60_000),

  // Providers
  PROVIDER_PRIORITY: providerList,
  PROVIDER_TIMEOUT_MS: int(30_000, 100, 300_000),
  /** How long a submit or a poll waits for an outbound slot before failing over or trying later. */
  PROVIDER_SLOT_WAIT_MS: int(5_000, 0, 120_000),
  /** Outbound requests per minute to each reseller, shared by every instance; unset: no limit. */
  PIXAZO_REQUESTS_PER_MINUTE: optionalInt(1, 100_000),
  APIFRAME_REQUESTS_PER_MINUTE: optionalInt(1, 100_000),
  REVE2IMG_REQUESTS_PER_MINUTE: optionalInt(1, 100_000),
  /** reve-art documents 10 requests a minute, the default outside the emulator. */
  REVEART_REQUESTS_PER_MINUTE: optionalInt(1, 100_000),
  /** auto: the emulator serves every provider when no reseller key is set. */
  REVE_EMULATOR: z.enum(["auto", "on", "off"]).default("auto"),
  EMULATOR_PORT: int(4010, 1, 65_535),

  PIXAZO_ENABLED: bool(true),
  PIXAZO_API_KEY: optionalString,
  PIXAZO_BASE_URL: z.url().default("https://gateway.pixazo.ai"),
  PIXAZO_EDIT_PATH: z.string().default("/reve-image/v1/image-edit"),
  PIXAZO_REMIX_PATH: z.string().default("/reve-image/v1/image-edit-remix"),
  PIXAZO_STATUS_PATH: z.string().default("/v2/requests/status/{id}"),
  PIXAZO_EDIT_VERSION: optionalString,
  PIXAZO_REMIX_VERSION: optionalString,
  PIXAZO_WEBHOOK_MODE: z.enum(["terminal", "sync"]).default("terminal"),

  APIFRAME_ENABLED: bool(true),
  APIFRAME_API_KEY: optionalString,
  APIFRAME_BASE_URL: z.url().default("https://api.apiframe.ai"),
  APIFRAME_GENERATE_PATH: z.string().default("/v2/images/generate"),
  APIFRAME_STATUS_PATH: z.string().default("/v2/jobs/{id}"),
  APIFRAME_MODEL: z.string().default("reve-create"),

  REVE2IMG_ENABLED: bool(true),
  REVE2IMG_API_KEY: optionalString,
  REVE2IMG_BASE_URL: z.url().default("https://reve2img.com"),
  REVE2IMG_GENERATE_PATH: z.string().default("/api/v1/generate"),
  REVE2IMG_STATUS_PATH: z.string().default("/api/v1/status"),
  // No default: the document names no model id; unset turns create off at reve2img.
  REVE2IMG_CREATE_MODEL: optionalString,
  /** Models that accept image_urls; empty turns edit or remix off for reve2img. */
  REVE2IMG_EDIT_MODEL: optionalString,
  REVE2IMG_REMIX_MODEL: optionalString,

  REVEART_ENABLED: bool(true),
  REVEART_API_KEY: optionalString,
  REVEART_BASE_URL: z.url().default("https://api.reve-art.com"),
  REVEART_GENERATE_PATH: z.string().default("/v1/reve-image/generate"),
  REVEART_STATUS_PATH: z.string().default("/v1/reve-image/status/{id}"),
  REVEART_ASYNC: bool(true),

  // Billing: Stripe Checkout is on when both are set.
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Where the Stripe SDK sends its calls; unset is Stripe itself. For a local Stripe fake. */
  STRIPE_API_URL: optionalUrl,
  /** credits:price-in-cents pairs, comma-separated: the packs the studio sells. */
  CREDIT_PACKS: z
    .string()
    .default("100:500,500:2000")
    .transform((v, ctx) => {
      const packs = parseCreditPacks(v);
      if (!packs) ctx.addIssue({ code: "custom", message: "must look like 100:500,500:2000" });
      return packs ?? [];
    }),
  /** ISO 4217 code of CREDIT_PACKS' prices. */
  CREDIT_CURRENCY: z
    .string()
    .default("usd")
    .transform((v) => v.toLowerCase())
    .pipe(z.string().regex(/^[a-z]{3}$/, "must be a three-letter currency code")),
  /** Voucher redemptions tried per user, and per IP, in an hour. */
  VOUCHER_ATTEMPTS_PER_HOUR: int(10, 1, 10_000),

  // Share links
  /** Requests to share links' pages, images and previews per client address in a minute. */
  SHARE_REQUESTS_PER_IP_PER_MINUTE: int(600, 1, 100_000),

  // Operators
  /** Accounts that are admins (verified, where EMAIL_VERIFICATION=required); comma-separated. */
  ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email("must be a comma-separated list of email addresses"))),
  /** Bearer token for GET /api/metrics; unset: the route answers 404. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
});

export type Env = z.infer<typeof envSchema>;

/** Parses a whole environment; throws one message naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const input = { ...source };
  // `next build` evaluates server modules; secrets are only needed when serving.
  if (input.NEXT_PHASE === "phase-production-build") {
    input.AUTH_SECRET ??= "build-time-placeholder-secret-not-used-to-sign";
    input.MEDIA_SIGNING_SECRET ??= "build-time-placeholder-secret-not-used-to-sign";
  }
  const result = envSchema
    .refine((e) => e.EMAIL_VERIFICATION === "off" || e.SMTP_URL !== undefined, {
      path: ["SMTP_URL"],
      message: "is required when EMAIL_VERIFICATION=required",
    })
    .safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return result.data;
}

const PROVIDER_KEY_VARS = [
  "PIXAZO_API_KEY",
  "APIFRAME_API_KEY",
  "REVE2IMG_API_KEY",
  "REVEART_API_KEY",
] as const;

/** The emulator serves every provider when asked to, or by default when no reseller key is set. */
export function usesEmulator(e: Env): boolean {
  if (e.REVE_EMULATOR !== "auto") return e.REVE_EMULATOR === "on";
  return PROVIDER_KEY_VARS.every((name) => e[name] === undefined);
}

export const env: Env = parseEnv(process.env);
