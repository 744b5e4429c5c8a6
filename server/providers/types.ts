import "server-only";

import type { OperationsOffered } from "@/lib/capabilities";
import type { AspectRatio, FailureCode, Operation, ProviderId } from "@/lib/domain";

export interface ProviderCapabilities {
  operations: OperationsOffered;
  /** Whether the provider can call us back instead of being polled. */
  webhooks: boolean;
  /** The provider calls back only on https URLs (Pixazo); with any other URL the job is polled. */
  webhooksHttpsOnly?: boolean;
}

export interface GenerationRequest {
  prompt: string;
  negativePrompt?: string;
  aspectRatio?: AspectRatio;
  seed?: number;
  /** Signed, expiring URLs of our own storage: one for edit, 1–4 for remix. */
  imageUrls?: string[];
}

export interface SubmitOptions {
  /** Where the provider should deliver its webhook, if it can. */
  callbackUrl?: string;
}

export interface ProviderFailure {
  code: FailureCode;
  retryable: boolean;
  /** Safe to show a user: never an upstream body, never a key. */
  message: string;
}

export interface ProviderOutput {
  url: string;
  mediaType?: string;
  width?: number;
  height?: number;
}

/** The normalized status of a job, as returned by submit, getStatus and parseCallback. */
export type NormalizedStatus =
  | { state: "queued" | "processing"; providerJobId: string }
  | {
      state: "succeeded";
      providerJobId: string;
      outputs: ProviderOutput[];
      consumedCredits?: number;
    }
  | { state: "failed"; providerJobId: string; failure: ProviderFailure };

export interface ReveProvider {
  readonly id: ProviderId;
  readonly label: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * Sends one billable job. Never retried automatically. Throws ProviderError when the provider
   * did not accept the job (or its answer could not be read).
   */
  submit(op: Operation, input: GenerationRequest, options?: SubmitOptions): Promise<NormalizedStatus>;
  /** Reads a job's status; retried with backoff and jitter on transient errors. */
  getStatus(providerJobId: string): Promise<NormalizedStatus>;
  /** Parses a webhook body. Present only on providers that send webhooks. Throws ProviderError. */
  parseCallback?(rawBody: string, headers: Headers): NormalizedStatus;
}
