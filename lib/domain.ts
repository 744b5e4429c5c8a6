// Vocabulary shared by the server and the browser: operations, aspect ratios, job states and the
// limits the forms enforce before the server enforces them again.

export const OPERATIONS = ["create", "edit", "remix"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const ASPECT_RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const PROVIDER_IDS = ["pixazo", "apiframe", "reve2img", "reveart"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  pixazo: "Pixazo",
  apiframe: "Apiframe",
  reve2img: "reve2img",
  reveart: "Reve Art",
};

/** The normalized life of a job at a provider, whatever its wire says. */
export const JOB_STATES = ["queued", "processing", "succeeded", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Generation.status adds `submitting`: credits held, provider not yet accepted. */
export const GENERATION_STATUSES = ["submitting", ...JOB_STATES] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
export const TERMINAL_STATUSES: readonly GenerationStatus[] = ["succeeded", "failed"];
/** A job holding credits that has not ended yet. */
export const ACTIVE_STATUSES = [
  "submitting",
  "queued",
  "processing",
] as const satisfies readonly GenerationStatus[];
export const isTerminal = (status: GenerationStatus) => TERMINAL_STATUSES.includes(status);

export const FAILURE_CODES = [
  "content_policy",
  "invalid_input",
  "provider_auth",
  "provider_quota",
  "rate_limited",
  "timeout",
  "provider_error",
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** The longest gallery search. */
export const GALLERY_QUERY_MAX = 200;
export const PROMPT_MAX = 2560;
export const NEGATIVE_PROMPT_MAX = 2560;
export const SEED_MAX = 2_147_483_647;
export const MAX_REFERENCES = 4;
/** The most images one create makes at once (a batch). */
export const BATCH_MAX = 4;
