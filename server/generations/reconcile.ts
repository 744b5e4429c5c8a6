import "server-only";

import { randomUUID } from "node:crypto";

import { ACTIVE_STATUSES, type Operation } from "@/lib/domain";
import { processImage } from "@/server/media/process-image";
import { SafeFetchError, safeFetchImage } from "@/server/media/safe-fetch";
import { storeProcessedImage, type StoredImage } from "@/server/media/store-image";
import { metrics, resellerLabel } from "@/server/ops/metrics";
import type { NormalizedStatus, ProviderOutput } from "@/server/providers/types";

import { announceJobChange } from "./changes";
import type { LifecycleDeps } from "./deps";
import { addEvent } from "./events";
import { failGeneration } from "./failure";
import { holdLeases } from "./lease";
import { observedDuration, type CompletionSample } from "./poll-schedule";

// The one reconciler. Webhooks, the status route and the background poller all hand it what a
// provider said about a job; it moves the job forward, never backward, and a terminal state is
// final. Applying the same update twice changes nothing.

export type ReconcileOutcome =
  | "unknown_job"
  | "stale" // the update is for another provider job id, or the job is already terminal
  | "unchanged"
  | "progressed"
  | "busy" // another process holds the job's lease and will finish it
  | "succeeded"
  | "failed";

const RANK = { submitting: 0, queued: 1, processing: 2 } as const;

export async function applyProviderUpdate(
  deps: LifecycleDeps,
  generationId: string,
  status: NormalizedStatus,
  options: { leaseOwner?: string } = {},
): Promise<ReconcileOutcome> {
  const job = await deps.db.generation.findUnique({
    where: { id: generationId },
    select: {
      id: true,
      userId: true,
      status: true,
      providerJobId: true,
      provider: true,
      kind: true,
      submittedAt: true,
      lastPolledAt: true,
    },
  });
  if (!job) return "unknown_job";
  if (job.status === "succeeded" || job.status === "failed") return "stale";
  if (job.providerJobId !== status.providerJobId) return "stale";

  switch (status.state) {
    case "queued":
    case "processing": {
      if (RANK[status.state] <= RANK[job.status]) return "unchanged";
      const allowed = ACTIVE_STATUSES.filter((s) => RANK[s] < RANK[status.state]);
      const moved = await deps.db.generation.updateMany({
        where: { id: job.id, status: { in: allowed } },
        data: { status: status.state },
      });
      if (moved.count === 0) return "unchanged";
      await announceJobChange(deps.db, job.id);
      return "progressed";
    }
    case "failed":
      return (await failGeneration(deps, job.id, status.failure.code, status.failure.message))
        ? "failed"
        : "stale";
    case "succeeded": {
      // A poll (it holds the lease) found it done since its last look; a webhook says it just ended.
      const took = job.submittedAt
        ? observedDuration({
            submittedAt: job.submittedAt.getTime(),
            seenAt: Date.now(),
            previousLookAt: job.lastPolledAt?.getTime() ?? null,
            pushed: !options.leaseOwner,
          })
        : null;
      return completeGeneration(deps, { ...job, took }, status, options.leaseOwner);
    }
  }
}

/** A job a provider said is done, and how long it took as the studio saw it. */
interface CompletingJob {
  id: string;
  userId: string;
  provider: string | null;
  kind: Operation;
  took: CompletionSample | null;
}

async function completeGeneration(
  deps: LifecycleDeps,
  job: CompletingJob,
  status: Extract<NormalizedStatus, { state: "succeeded" }>,
  heldLease: string | undefined,
): Promise<ReconcileOutcome> {
  // Only the holder of the job's lease downloads, so racing webhooks and polls fetch once.
  const owner = heldLease ?? `${deps.instanceId}:${randomUUID().slice(0, 8)}`;
  if (!heldLease && !(await takeLease(deps, job.id, owner))) return "busy";
  // A lease this call took is kept alive here; a caller's own lease is kept by that caller.
  const hold = heldLease ? undefined : holdLeases(deps, owner, [job.id]);
  try {
    return await completeLeased(deps, job, status, owner);
  } finally {
    await hold?.stop();
  }
}

async function completeLeased(
  deps: LifecycleDeps,
  job: CompletingJob,
  status: Extract<NormalizedStatus, { state: "succeeded" }>,
  owner: string,
): Promise<ReconcileOutcome> {
  let stored: (StoredImage & { id: string })[];
  try {
    stored = await downloadOutputs(deps, job.userId, status.outputs);
  } catch (error) {
    const detail =
      error instanceof SafeFetchError && error.reason === "blocked_address"
        ? "The provider pointed the result at an address the studio does not fetch from."
        : undefined;
    const failed = await failGeneration(deps, job.id, "download_failed", detail);
    return failed ? "failed" : "stale";
  }

  const finished = await deps.db.$transaction(async (tx) => {
    const moved = await tx.generation.updateMany({
      where: { id: job.id, status: { in: [...ACTIVE_STATUSES] }, leaseOwner: owner },
      data: {
        status: "succeeded",
        completedAt: new Date(),
        providerMs: job.took?.ms ?? null,
        providerMsMargin: job.took?.marginMs ?? null,
        providerCost: status.consumedCredits ?? null,
        nextPollAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
      },
    });
    if (moved.count === 0) return false;
    await addEvent(tx, job.id, {
      kind: "succeeded",
      provider: job.provider,
      detail: `${stored.length} image${stored.length === 1 ? "" : "s"} stored`,
    });
    await announceJobChange(tx, job.id);
    await tx.asset.createMany({
      data: stored.map((image) => ({
        id: image.id,
        userId: job.userId,
        kind: "output" as const,
        generationId: job.id,
        storageKey: image.storageKey,
        thumbKey: image.thumbKey,
        mime: image.mime,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        thumbhash: image.thumbhash,
        sha256: image.sha256,
      })),
    });
    return true;
  });
  if (!finished) {
    // The job ended another way meanwhile (its deadline, say): the copies are not needed.
    await deps.storage.delete(stored.flatMap((s) => [s.storageKey, s.thumbKey]));
    return "stale";
  }
  metrics().succeeded.inc({ reseller: resellerLabel(job.provider), operation: job.kind });
  return "succeeded";
}

/** Takes the job's lease if it is free or expired. */
export async function takeLease(deps: LifecycleDeps, generationId: string, owner: string): Promise<boolean> {
  const now = new Date();
  const taken = await deps.db.generation.updateMany({
    where: {
      id: generationId,
      status: { in: [...ACTIVE_STATUSES] },
      OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }, { leaseOwner: owner }],
    },
    data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + deps.config.leaseMs) },
  });
  return taken.count > 0;
}

/** Copies every output into our storage at once: provider URLs expire. */
async function downloadOutputs(deps: LifecycleDeps, userId: string, outputs: ProviderOutput[]) {
  if (outputs.length === 0) throw new Error("The provider reported success without an image.");
  const { download } = deps.config;
  const stored: (StoredImage & { id: string })[] = [];
  try {
    for (const output of outputs) {
      const { body } = await withRetries(() =>
        safeFetchImage(output.url, {
          allowHosts: download.allowHosts,
          maxBytes: download.maxBytes,
          timeoutMs: download.timeoutMs,
        }),
      );
      const image = await processImage(body, { maxBytes: download.maxBytes, maxPixels: download.maxPixels });
      const id = randomUUID();
      stored.push({ id, ...(await storeProcessedImage(deps.storage, userId, id, image)) });
    }
  } catch (error) {
    await deps.storage.delete(stored.flatMap((s) => [s.storageKey, s.thumbKey]));
    throw error;
  }
  return stored;
}

/** Transient network trouble gets two more tries; a refused address or a bad image does not. */
async function withRetries<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const transient =
        error instanceof SafeFetchError && ["network", "timeout", "http_status"].includes(error.reason);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}
