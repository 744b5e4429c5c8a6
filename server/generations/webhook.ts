import "server-only";

import { PROVIDER_IDS, type ProviderId } from "@/lib/domain";
import { AppError } from "@/server/errors";
import { collectAnswers } from "@/server/providers/answers";
import { isProviderError } from "@/server/providers/http-client";

import { keepAnswers } from "./answers";
import type { LifecycleDeps } from "./deps";
import { applyProviderUpdate, type ReconcileOutcome } from "./reconcile";
import { tokenMatches } from "./webhook-token";

export const WEBHOOK_MAX_BYTES = 256 * 1024;

export interface WebhookCall {
  provider: string;
  generationId: string;
  token: string | null;
  rawBody: string;
  headers: Headers;
}

export type WebhookReceipt =
  | { accepted: true; duplicate: true }
  | { accepted: true; duplicate: false; apply: () => Promise<ReconcileOutcome> };

/**
 * Authenticates and de-duplicates one webhook delivery. The work itself (`apply`) goes through
 * the same reconciler as polling, and the route runs it after answering, so the provider gets its
 * 2xx at once.
 */
export async function receiveWebhook(deps: LifecycleDeps, call: WebhookCall): Promise<WebhookReceipt> {
  if (!PROVIDER_IDS.includes(call.provider as ProviderId))
    throw new AppError("not_found", "Unknown provider.");
  const job = await deps.db.generation.findUnique({
    where: { id: call.generationId },
    select: { id: true, provider: true, providerJobId: true, webhookTokenHash: true },
  });
  // One answer for a missing job, a wrong provider and a wrong token: nothing to probe.
  if (!job || job.provider !== call.provider || !tokenMatches(call.token, job.webhookTokenHash)) {
    throw new AppError("unauthorized", "This webhook is not authorized.");
  }
  const provider = deps.registry.get(call.provider as ProviderId);
  if (!provider.parseCallback) throw new AppError("not_found", "This provider sends no webhooks.");

  const parse = provider.parseCallback.bind(provider);
  const run = await collectAnswers(async () => parse(call.rawBody, call.headers));
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
    VALUES (${crypto.randomUUID()}, ${call.provider}, ${dedupeKey}, ${job.id})
    ON CONFLICT ("provider", "dedupeKey") DO NOTHING`;
  if (inserted === 0) return { accepted: true, duplicate: true };

  return {
    accepted: true,
    duplicate: false,
    apply: async () => {
      const outcome = await applyProviderUpdate(deps, job.id, status);
      // Someone else holds the job right now: make sure it is polled again soon.
      if (outcome === "busy") {
        await deps.db.generation.updateMany({ where: { id: job.id }, data: { nextPollAt: new Date() } });
      }
      return outcome;
    },
  };
}
