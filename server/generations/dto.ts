import "server-only";

import type { AspectRatio, FailureCode, Operation, ProviderId } from "@/lib/domain";
import type { AssetDto, GenerationDto } from "@/lib/dto";
import type { Prisma } from "@/server/db/generated/client";

/** The columns an asset's DTO is built from: its storage keys and checksum stay on the server. */
export const assetSelect = {
  id: true,
  thumbKey: true,
  width: true,
  height: true,
  mime: true,
  bytes: true,
  thumbhash: true,
} satisfies Prisma.AssetSelect;

/** The select every read of a generation uses, so every DTO is built from the same columns. */
export const generationSelect = {
  id: true,
  kind: true,
  status: true,
  prompt: true,
  negativePrompt: true,
  aspectRatio: true,
  seed: true,
  requestedProvider: true,
  provider: true,
  cost: true,
  errorCode: true,
  errorMessage: true,
  parentId: true,
  batchId: true,
  favorite: true,
  createdAt: true,
  updatedAt: true,
  completedAt: true,
  inputs: { orderBy: { position: "asc" }, select: { asset: { select: assetSelect } } },
  outputs: { orderBy: { createdAt: "asc" }, select: assetSelect },
  ledger: { where: { reason: "refund" }, select: { id: true } },
} satisfies Prisma.GenerationSelect;

export type GenerationRow = Prisma.GenerationGetPayload<{ select: typeof generationSelect }>;
type AssetRow = Prisma.AssetGetPayload<{ select: typeof assetSelect }>;

export function toAssetDto(asset: AssetRow): AssetDto {
  const base = `/api/media/${asset.id}`;
  return {
    id: asset.id,
    url: `${base}/original`,
    thumbUrl: asset.thumbKey ? `${base}/thumb` : `${base}/original`,
    downloadUrl: `${base}/original?download=1`,
    width: asset.width,
    height: asset.height,
    mime: asset.mime,
    bytes: asset.bytes,
    thumbhash: asset.thumbhash,
  };
}

export function toGenerationDto(row: GenerationRow, now = Date.now()): GenerationDto {
  const end = row.completedAt?.getTime() ?? now;
  return {
    id: row.id,
    kind: row.kind as Operation,
    status: row.status,
    prompt: row.prompt,
    negativePrompt: row.negativePrompt,
    aspectRatio: row.aspectRatio as AspectRatio | null,
    seed: row.seed,
    requestedProvider: row.requestedProvider as ProviderId | "auto",
    provider: row.provider as ProviderId | null,
    cost: row.cost,
    charged: row.ledger.length === 0,
    errorCode: row.errorCode as FailureCode | null,
    errorMessage: row.errorMessage,
    parentId: row.parentId,
    batchId: row.batchId,
    favorite: row.favorite,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    elapsedMs: Math.max(0, end - row.createdAt.getTime()),
    inputs: row.inputs.map((i) => toAssetDto(i.asset)),
    outputs: row.outputs.map(toAssetDto),
  };
}
