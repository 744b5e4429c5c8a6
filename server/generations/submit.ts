import "server-only";

import { randomUUID } from "node:crypto";

import type { AspectRatio, Operation, ProviderId } from "@/lib/domain";
import { ACTIVE_STATUSES, BATCH_MAX, PROVIDER_LABELS, SEED_MAX } from "@/lib/domain";
import { assertMaySubmit } from "@/server/account/suspension";
import { holdForGeneration, NOT_ENOUGH_CREDITS } from "@/server/credits/ledger";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";
import { signedMediaUrl } from "@/server/media/signed-url";
import { acceptsCallback, needsOf } from "@/server/providers/capabilities";
import { collectAnswers } from "@/server/providers/answers";
import { isProviderError, isProviderFault } from "@/server/providers/http-client";
import { isCertainRefusal } from "@/server/providers/provider-error";
import type { GenerationRequest, ReveProvider } from "@/server/providers/types";
import { formatWait } from "@/server/rate-limit";
import { logUnexpected } from "@/server/log";
import { metrics } from "@/server/ops/metrics";

import { keepAnswers } from "./answers";
import { announceJobChange } from "./changes";
import type { LifecycleDeps } from "./deps";
import { addEvent, recordEvent } from "./events";
import { failGeneration } from "./failure";
import { timedPollDelay } from "./completion-times";
import { applyProviderUpdate } from "./reconcile";
import { hashToken, newWebhookToken } from "./webhook-token";

export interface SubmitRequest {
  userId: string;
  kind: Operation;
  prompt: string;
  negativePrompt?: string;
  aspectRatio?: AspectRatio;
  seed?: number;
  provider: ProviderId | "auto";
  /** Input assets, in order: one for edit, one to four for remix. */
  assetIds?: string[];
  parentId?: string;
  /**
   * How many images to make from this request, 1 to `BATCH_MAX` (default 1). Each is its own job
   * with its own hold; two or more share a `batchId`. A locked seed gives seed, seed + 1, …
   */
  count?: number;
}

export interface Submitted {
  /** The first image's job. */
  generationId: string;
  /** Every image's job, in order; one for a single image. */
  generationIds: string[];
  /** Shared by the jobs of a batch of two or more; null for a single image. */
  batchId: string | null;
}

/**
 * The whole submit, in order: limits, routing, the holds (in the one transaction that creates the
 * jobs: a batch is held whole or not at all), then the provider calls outside any transaction,
 * each failing over to the next capable provider while the failure happened before any provider
 * accepted the job.
 */
export async function submitGeneration(deps: LifecycleDeps, request: SubmitRequest): Promise<Submitted> {
  const count = request.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > BATCH_MAX) {
    throw new AppError("invalid_input", `Make 1 to ${BATCH_MAX} images at once.`, { nothingCharged: true });
  }
  await assertMaySubmit(deps.db, request.userId);
  const inputs = await loadOwnedInputs(deps, request);
  if (request.parentId) await assertOwnedGeneration(deps, request.userId, request.parentId);

  await deps.submitLimiter.consume(
    request.userId,
    (s) => `You are submitting faster than the studio allows. Try again in ${formatWait(s)}.`,
    { nothingCharged: true },
  );

  const generationRequest: GenerationRequest = {
    prompt: request.prompt,
    ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
    ...(request.aspectRatio ? { aspectRatio: request.aspectRatio } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    imageUrls: inputs.map((asset) =>
      signedMediaUrl(
        deps.config.appUrl,
        asset.storageKey,
        deps.config.mediaUrlTtlSeconds,
        deps.config.mediaSigningSecret,
      ),
    ),
  };
  const needs = needsOf(generationRequest);
  await deps.registry.refreshSwitches();
  const candidates = deps.registry.candidates(request.kind, needs, request.provider);
  if (candidates.length === 0) {
    const reason =
      request.provider === "auto"
        ? `No provider on this studio offers ${request.kind} with these options.`
        : (deps.registry.whyNot(request.kind, needs, request.provider) ??
          `${PROVIDER_LABELS[request.provider]} cannot take this job.`);
    throw new AppError("invalid_input", reason, { nothingCharged: true });
  }

  const jobs = Array.from({ length: count }, (_, index) => {
    const seed = request.seed === undefined ? undefined : (request.seed + index) % (SEED_MAX + 1);
    const token = newWebhookToken();
    return {
      seed,
      token,
      tokenHash: hashToken(token),
      input: seed === undefined ? generationRequest : { ...generationRequest, seed },
    };
  });
  const batchId = count > 1 ? randomUUID() : null;
  const ids = await createHeldGenerations(deps, request, inputs, jobs, candidates[0]!.id, batchId);
  metrics().submitted.inc({ reseller: candidates[0]!.id, operation: request.kind }, count);

  await Promise.all(
    ids.map((id, index) =>
      sendToProviders(deps, id, candidates, jobs[index]!.input, jobs[index]!.token, request.kind),
    ),
  );
  return { generationId: ids[0]!, generationIds: ids, batchId };
}

async function loadOwnedInputs(deps: LifecycleDeps, request: SubmitRequest) {
  const ids = request.assetIds ?? [];
  const expected = request.kind === "create" ? [0, 0] : request.kind === "edit" ? [1, 1] : [1, 4];
  if (ids.length < expected[0]! || ids.length > expected[1]!) {
    throw new AppError(
      "invalid_input",
      request.kind === "edit"
        ? "An edit takes exactly one image."
        : request.kind === "remix"
          ? "A remix takes one to four reference images."
          : "Creating from a prompt takes no image.",
      { nothingCharged: true },
    );
  }
  if (new Set(ids).size !== ids.length) {
    throw new AppError("invalid_input", "The same image was given twice.", { nothingCharged: true });
  }
  // A create has no inputs: no query on the submit's hot path.
  if (ids.length === 0) return [];
  const assets = await deps.db.asset.findMany({
    where: { id: { in: ids }, userId: request.userId },
    select: { id: true, storageKey: true },
  });
  if (assets.length !== ids.length) {
    // Someone else's image is reported exactly like a missing one.
    throw new AppError("not_found", "One of the images was not found. Upload it again.", {
      nothingCharged: true,
    });
  }
  return ids.map((id) => assets.find((a) => a.id === id)!);
}

async function assertOwnedGeneration(deps: LifecycleDeps, userId: string, id: string) {
  const found = await deps.db.generation.findFirst({ where: { id, userId }, select: { id: true } });
  if (!found)
    throw new AppError("not_found", "The image this continues from was not found.", {
      nothingCharged: true,
    });
}

async function createHeldGenerations(
  deps: LifecycleDeps,
  request: SubmitRequest,
  inputs: { id: string }[],
  jobs: { seed: number | undefined; tokenHash: string }[],
  firstProvider: ProviderId,
  batchId: string | null,
): Promise<string[]> {
  const cost = deps.config.prices[request.kind];
  return deps.db.$transaction(
    async (tx) => {
      // Holds the input images until the job and its input rows are committed: a delete of the
      // generation they came from waits for this (it takes them FOR UPDATE), and one that got
      // there first has removed them, which is answered like any missing image.
      if (inputs.length > 0) await lockInputAssets(tx, request.userId, inputs);
      // Serializes this user's submits, so the in-flight cap cannot be overrun by a burst.
      await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${request.userId} FOR UPDATE`;
      const inFlight = await tx.generation.count({
        where: { userId: request.userId, status: { in: [...ACTIVE_STATUSES] } },
      });
      // The cap counts images: a batch that does not fit is refused whole.
      if (inFlight + jobs.length > deps.config.maxJobsInFlight) {
        const max = deps.config.maxJobsInFlight;
        throw new AppError(
          "too_many_jobs",
          jobs.length === 1 || inFlight >= max
            ? `You have ${inFlight} jobs running, the most at once. Try again when one finishes.`
            : `You have ${inFlight} jobs running and can run ${max} at once: ${jobs.length} more do not fit. Try fewer images, or again when one finishes.`,
          { retryAfter: 5, nothingCharged: true },
        );
      }
      // The balance is checked for the whole batch before any hold; each hold stays guarded too,
      // and any refusal rolls every job and hold of this transaction back.
      if (cost > 0 && jobs.length > 1) {
        const [user] = await tx.$queryRaw<{ credits: number }[]>`
          SELECT "credits" FROM "User" WHERE "id" = ${request.userId}`;
        if ((user?.credits ?? 0) < cost * jobs.length) {
          throw new AppError("insufficient_credits", NOT_ENOUGH_CREDITS, { nothingCharged: true });
        }
      }
      const ids: string[] = [];
      for (const job of jobs) ids.push(await createHeldJob(tx, job));
      return ids;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );

  async function createHeldJob(
    tx: Prisma.TransactionClient,
    job: { seed: number | undefined; tokenHash: string },
  ) {
    const generation = await tx.generation.create({
      data: {
        userId: request.userId,
        kind: request.kind,
        prompt: request.prompt,
        negativePrompt: request.negativePrompt ?? null,
        aspectRatio: request.aspectRatio ?? null,
        seed: job.seed ?? null,
        batchId,
        requestedProvider: request.provider,
        // The first provider to try is recorded with the hold, saving a write before its call.
        provider: firstProvider,
        attemptedProviders: [firstProvider],
        cost,
        parentId: request.parentId ?? null,
        webhookTokenHash: job.tokenHash,
        deadlineAt: new Date(Date.now() + deps.config.deadlineMs),
        inputs: { create: inputs.map((asset, position) => ({ assetId: asset.id, position })) },
      },
      select: { id: true },
    });
    if (cost > 0)
      await holdForGeneration(tx, { userId: request.userId, generationId: generation.id, amount: cost });
    await addEvent(tx, generation.id, {
      kind: "submitted",
      provider: firstProvider,
      detail: `${request.kind}, asked for ${request.provider}, ${cost} credits held`,
    });
    return generation.id;
  }
}

async function lockInputAssets(tx: Prisma.TransactionClient, userId: string, inputs: { id: string }[]) {
  const ids = inputs.map((asset) => asset.id).sort();
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Asset" WHERE "id" IN (${Prisma.join(ids)}) AND "userId" = ${userId}
    ORDER BY "id" FOR KEY SHARE`;
  if (locked.length !== ids.length) {
    throw new AppError("not_found", "One of the images was not found. Upload it again.", {
      nothingCharged: true,
    });
  }
}

async function sendToProviders(
  deps: LifecycleDeps,
  generationId: string,
  candidates: ReveProvider[],
  input: GenerationRequest,
  token: string,
  op: Operation,
) {
  const attempted: ProviderId[] = [];
  for (const [index, provider] of candidates.entries()) {
    attempted.push(provider.id);
    if (index > 0) {
      await deps.db.generation.update({
        where: { id: generationId },
        data: { provider: provider.id, attemptedProviders: attempted },
      });
    }
    const offered = deps.config.webhookBaseUrl
      ? `${deps.config.webhookBaseUrl}/api/webhooks/${provider.id}/${generationId}?token=${token}`
      : undefined;
    // Only a callback the provider will really make may delay the first poll.
    const callbackUrl = acceptsCallback(provider.capabilities, offered) ? offered : undefined;
    const run = await collectAnswers(() => provider.submit(op, input, callbackUrl ? { callbackUrl } : {}));
    await keepAnswers(deps, generationId, run.answers);
    if (run.ok && run.result) {
      deps.registry.markHealthy(provider.id);
      await recordAccepted(deps, generationId, run.result, {
        provider: provider.id,
        kind: op,
        expectsWebhook: Boolean(callbackUrl),
      });
      return;
    }
    const error = run.error;
    if (!isProviderError(error)) {
      logUnexpected(error, `submitting job ${generationId}`);
      await failGeneration(deps, generationId, "submit_failed");
      return;
    }
    // Fail over only when the provider surely did not take the job: never bill twice.
    if (isCertainRefusal(error)) {
      // Refused keys, balance and rate limits do not pass by themselves: rest it for a while.
      if (error.kind !== "input" && error.kind !== "limit")
        deps.registry.markRefused(provider.id, error.retryAfterMs);
      if (index < candidates.length - 1) {
        const next = candidates[index + 1]!.id;
        metrics().failovers.inc({ from: provider.id, to: next, operation: op });
        await recordEvent(deps.db, generationId, {
          kind: "failover",
          provider: provider.id,
          detail: `${error.code}: ${error.message} Moved on to ${next}.`,
        });
        continue;
      }
    } else if (isProviderFault(error.code)) {
      deps.registry.markFailed(provider.id);
    }
    await failGeneration(
      deps,
      generationId,
      error.code,
      error.message,
      error.ambiguous ? { mayHaveBilledBy: provider.id } : {},
    );
    if (error.ambiguous) {
      console.warn(
        `job ${generationId}: ${provider.id} may have taken and billed it (${error.kind}); refunded, not resent.`,
      );
    }
    return;
  }
}

async function recordAccepted(
  deps: LifecycleDeps,
  generationId: string,
  status: Awaited<ReturnType<ReveProvider["submit"]>>,
  job: { provider: ProviderId; kind: Operation; expectsWebhook: boolean },
) {
  // A job that expects a webhook keeps a late fallback poll; others are timed to recent jobs.
  const firstPoll = job.expectsWebhook
    ? deps.config.webhookFallbackMs
    : await timedPollDelay(deps, { ...job, submittedAt: null, attempts: 0 });
  const saved = await deps.db.generation.updateMany({
    where: { id: generationId, status: "submitting" },
    data: {
      providerJobId: status.providerJobId,
      status: status.state === "processing" ? "processing" : "queued",
      submittedAt: new Date(),
      nextPollAt: new Date(Date.now() + firstPoll),
    },
  });
  // Right after the update rather than in a transaction with it: an interactive transaction waits
  // for a pooled connection of its own, which a burst of submits can run out of. A notification
  // lost to a crash in between costs a waiter one wait.
  if (saved.count > 0) {
    await announceJobChange(deps.db, generationId);
    await recordEvent(deps.db, generationId, {
      kind: "accepted",
      provider: job.provider,
      detail: `job ${status.providerJobId}, ${status.state}`,
    });
  }
  // A synchronous provider may already be done; the reconciler takes it from here.
  if (saved.count > 0 && (status.state === "succeeded" || status.state === "failed")) {
    await applyProviderUpdate(deps, generationId, status);
  }
}
