import "server-only";

import { randomInt } from "node:crypto";

import type { AspectRatio, Operation, ProviderId } from "@/lib/domain";
import { SEED_MAX } from "@/lib/domain";
import { AppError } from "@/server/errors";
import { needsOf } from "@/server/providers/capabilities";

import type { LifecycleDeps } from "./deps";
import { type SubmitRequest, submitGeneration, type Submitted } from "./submit";

const sourceSelect = {
  id: true,
  kind: true,
  prompt: true,
  negativePrompt: true,
  aspectRatio: true,
  seed: true,
  requestedProvider: true,
  inputs: { orderBy: { position: "asc" }, select: { assetId: true } },
} as const;

type Source = {
  id: string;
  kind: string;
  prompt: string;
  negativePrompt: string | null;
  aspectRatio: string | null;
  seed: number | null;
  requestedProvider: string;
  inputs: { assetId: string }[];
};

/** The request that made `source`, as a new submit of the same user, with `seed` (none: random). */
function requestOf(userId: string, source: Source, seed: number | null): SubmitRequest {
  return {
    userId,
    kind: source.kind as Operation,
    prompt: source.prompt,
    ...(source.negativePrompt ? { negativePrompt: source.negativePrompt } : {}),
    ...(source.aspectRatio ? { aspectRatio: source.aspectRatio as AspectRatio } : {}),
    ...(seed !== null ? { seed } : {}),
    provider: source.requestedProvider as ProviderId | "auto",
    ...(source.inputs.length > 0 ? { assetIds: source.inputs.map((input) => input.assetId) } : {}),
  };
}

/**
 * "Vary": one of the user's images made again with the same prompt and settings and a new seed,
 * as a new job (held and charged like any other) that continues from it. When no provider that
 * could take the job takes a seed, the provider draws one itself.
 */
export async function varyGeneration(deps: LifecycleDeps, userId: string, id: string): Promise<Submitted> {
  const source = await deps.db.generation.findFirst({
    where: { id, userId, deletedAt: null },
    select: sourceSelect,
  });
  if (!source) throw new AppError("not_found", "That image was not found.", { nothingCharged: true });
  const seed = newSeed(source.seed);
  const seeded: SubmitRequest = { ...requestOf(userId, source, seed), parentId: source.id };
  const needs = needsOf({
    prompt: seeded.prompt,
    ...(seeded.negativePrompt ? { negativePrompt: seeded.negativePrompt } : {}),
    ...(seeded.aspectRatio ? { aspectRatio: seeded.aspectRatio } : {}),
    seed,
    imageUrls: seeded.assetIds ?? [],
  });
  const takesSeed = deps.registry.candidates(seeded.kind, needs, seeded.provider).length > 0;
  return submitGeneration(
    deps,
    takesSeed ? seeded : { ...requestOf(userId, source, null), parentId: source.id },
  );
}

/** A seed other than `previous`. */
export function newSeed(previous: number | null): number {
  for (;;) {
    const seed = randomInt(0, SEED_MAX + 1);
    if (seed !== previous) return seed;
  }
}

/**
 * Runs one of the user's batches again: the same prompt, settings and number of images (its
 * images still in the gallery), as a new batch held whole or refused whole.
 */
export async function rerunBatch(deps: LifecycleDeps, userId: string, batchId: string): Promise<Submitted> {
  const images = await deps.db.generation.findMany({
    where: { userId, batchId, deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: sourceSelect,
  });
  const first = images[0];
  if (!first) throw new AppError("not_found", "That batch was not found.", { nothingCharged: true });
  return submitGeneration(deps, { ...requestOf(userId, first, first.seed), count: images.length });
}
