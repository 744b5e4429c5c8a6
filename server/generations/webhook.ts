import "server-only";

import { PROVIDER_IDS, type ProviderId } from "@/lib/domain";
import { AppError } from "@/server/errors";
import { collectAnswers } from "@/server/providers/answers";
import { isProviderError } from "@/server/providers/http-client";

import { keepAnswers } from "./answers";
import type { LifecycleDeps } from "./deps";
import { recordEvent } from "./events";
import { applyProviderUpdate, type ReconcileOutcome } from "./reconcile";
import { tokenMatches } from "./webhook-token";

export const WEBHOOK_MAX_BYTES = 256 * 1024;

/** Who is calling back: known before a byte of the body is read. */
export interface WebhookAddress {
  provider: string;
  generationId: string;
  token: string | null;
}

export interface WebhookCall extends WebhookAddress {
  rawBody: string;
  headers: Headers;
}

/** A job whose callback token matched. */
export interface WebhookJob {
  id: string;
  provider: ProviderId;
  providerJobId: string | null;
}

export type WebhookReceipt =
  | { accepted: true; duplicate: true }
  | { accepted: true; duplicate: false; apply: () => Promise<ReconcileOutcome> };

/**
 * Checks the provider, the job and its token from the URL alone, so the route refuses a forged
 * call before reading its body. One answer (401) for a missing job, a wrong provider and a wrong
 * token: nothing to probe.
 */
export async function authenticateWebhook(deps: LifecycleDeps, call: WebhookAddress): Promise<WebhookJob> {
  if (!PROVIDER_IDS.includes(call.provider as ProviderId))
    throw new AppError("not_found", "Unknown provider.");
  const job = await deps.db.generation.findUnique({
    where: { id: call.generationId },
    select: { id: true, provider: true, providerJobId: true, webhookTokenHash: true },
  });
  if (!job || job.provider !== call.provider || !tokenMatches(call.token, job.webhookTokenHash)) {
    throw new AppError("unauthorized", "This webhook is not authorized.");
  }
  if (!deps.registry.get(call.provider as ProviderId).parseCallback)
    throw new AppError("not_found", "This provider sends no webhooks.");
  return { id: job.id, provider: call.provider as ProviderId, providerJobId: job.providerJobId };
}

/** Authenticates, then accepts one delivery (for callers that already hold the whole body). */
export async function receiveWebhook(deps: LifecycleDeps, call: WebhookCall): Promise<WebhookReceipt> {
  const job = await authenticateWebhook(deps, call);
  return acceptWebhook(deps, job, call.rawBody, call.headers);
}

/**
 * Parses and de-duplicates one authenticated delivery. The work itself (`apply`) goes through
 * the same reconciler as polling, and the route runs it after answering, so the provider gets its
 * 2xx at once.
 */
export async function acceptWebhook(
  deps: LifecycleDeps,
  job: WebhookJob,
  rawBody: string,
  headers: Headers,
): Promise<WebhookReceipt> {
  const provider = deps.registry.get(job.provider);
  if (!provider.parseCallback) throw new AppError("not_found", "This provider sends no webhooks.");

  const parse = provider.parseCallback.bind(provider);
  const run = await collectAnswers(async () => parse(rawBody, headers));
  await keepAnswers(deps, job.id, run.answers);
  if (!run.ok || !run.result) {
    if (isProviderError(run.error))
      throw new AppError("invalid_input", "The webhook body could not be read.");
    throw run.error;
  }
  const status = run.result;
  if (status.providerJobId !== job.providerJobId) {
    throw new AppError("conflict", "This webhook is for another job.");
  }

  // The provider's job id and the delivered state make the idempotency key.
  const dedupeKey = `${status.providerJobId}:${status.state}`;
  const inserted = await deps.db.$executeRaw`
    INSERT INTO "WebhookEvent" ("id", "provider", "dedupeKey", "generationId")
    VALUES (${crypto.randomUUID()}, ${job.provider}, ${dedupeKey}, ${job.id})
    ON CONFLICT ("provider", "dedupeKey") DO NOTHING`;
  if (inserted === 0) return { accepted: true, duplicate: true };

  return {
    accepted: true,
    duplicate: false,
    apply: async () => {
      await recordEvent(deps.db, job.id, {
        kind: "webhook",
        provider: job.provider,
        detail: `said ${status.state}`,
      });
      const outcome = await applyProviderUpdate(deps, job.id, status);
      // Someone else holds the job right now: make sure it is polled again soon.
      if (outcome === "busy") {
        await deps.db.generation.updateMany({ where: { id: job.id }, data: { nextPollAt: new Date() } });
      }
      return outcome;
    },
  };
}
