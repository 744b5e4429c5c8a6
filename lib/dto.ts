// The JSON shapes the studio's routes and actions hand to the browser. Never a storage key, a
// provider URL or a webhook token: media is always served through our own routes.
import type { OperationsOffered } from "./capabilities";
import type { AspectRatio, FailureCode, GenerationStatus, Operation, ProviderId } from "./domain";

export interface AssetDto {
  id: string;
  /** Full-size image, served to its owner only: /api/media/<id>/original */
  url: string;
  /** WebP thumbnail, at most 512 px: /api/media/<id>/thumb */
  thumbUrl: string;
  /** Download with a file name: /api/media/<id>/original?download=1 */
  downloadUrl: string;
  width: number;
  height: number;
  mime: string;
  bytes: number;
  /** Base64 ThumbHash for a placeholder while the image loads. */
  thumbhash: string | null;
}

export interface GenerationDto {
  id: string;
  kind: Operation;
  status: GenerationStatus;
  prompt: string;
  negativePrompt: string | null;
  aspectRatio: AspectRatio | null;
  seed: number | null;
  requestedProvider: ProviderId | "auto";
  provider: ProviderId | null;
  cost: number;
  /** False once the hold was refunded (a failed job). */
  charged: boolean;
  errorCode: FailureCode | "deadline" | "submit_failed" | "download_failed" | "lost" | null;
  /** A message safe to show; failed jobs say they were not charged. */
  errorMessage: string | null;
  parentId: string | null;
  /** Shared by the images of one batch (a create of 2 to 4), shown together; null otherwise. */
  batchId: string | null;
  favorite: boolean;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** Milliseconds from creation to completion, or to now while running. */
  elapsedMs: number;
  inputs: AssetDto[];
  outputs: AssetDto[];
}

export interface GenerationPage {
  items: GenerationDto[];
  nextCursor: string | null;
}

export interface LedgerEntryDto {
  id: string;
  amount: number;
  balanceAfter: number;
  reason: "signup_grant" | "grant" | "hold" | "refund" | "adjustment" | "purchase" | "voucher";
  generationId: string | null;
  note: string | null;
  createdAt: string;
}

/** One provider as the create form sees it: which operations and options it offers. */
export interface ProviderSummary {
  id: ProviderId;
  label: string;
  enabled: boolean;
  operations: OperationsOffered;
}

/** What the studio pages need to know before a submit: prices, providers and limits. */
export interface StudioConfig {
  prices: Record<Operation, number>;
  providers: ProviderSummary[];
  limits: {
    promptMax: number;
    maxReferences: number;
    uploadMaxBytes: number;
    submitsPerMinute: number;
    jobsInFlight: number;
  };
}

/** The signed-in user and their live balance (GET /api/me). */
export interface AccountDto {
  id: string;
  email: string | null;
  name: string | null;
  credits: number;
  /** Why submits are refused while the account is suspended (shown on every form); null otherwise. */
  suspended: string | null;
}
