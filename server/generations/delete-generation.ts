import "server-only";

import { TERMINAL_STATUSES } from "@/lib/domain";
import { getDb } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";
import { getStorage, type MediaStorage } from "@/server/storage";
import { logUnexpected } from "@/server/log";

export interface DeleteGenerationOptions {
  storage?: MediaStorage;
}

interface StoredAsset {
  id: string;
  storageKey: string;
  thumbKey: string | null;
}

const assetFiles = { id: true, storageKey: true, thumbKey: true } as const;

/**
 * Removes a finished generation from the user's studio: the row is soft-deleted (its ledger rows
 * keep their history), its images and the uploads only it used are deleted with their files. An
 * output that another live job still takes as input stays, as a plain upload, so that job keeps it.
 * Answers how many outputs stayed that way.
 */
export async function deleteGenerationForUser(
  userId: string,
  id: string,
  options: DeleteGenerationOptions = {},
): Promise<{ keptOutputs: number }> {
  const client = getDb();
  const storage = options.storage ?? getStorage();

  const { removed: doomed, keptOutputs } = await client.$transaction(async (tx) => {
    const generation = await tx.generation.findFirst({
      where: { id, userId, deletedAt: null },
      select: {
        status: true,
        outputs: { select: assetFiles },
        inputs: { select: { asset: { select: { ...assetFiles, kind: true, userId: true } } } },
      },
    });
    if (!generation) throw new AppError("not_found", "That generation no longer exists.");
    if (!TERMINAL_STATUSES.includes(generation.status)) {
      throw new AppError("conflict", "Wait until the job finishes, then delete it.");
    }
    // The guarded update is the claim: a concurrent delete finds nothing left to delete.
    const claimed = await tx.generation.updateMany({
      where: { id, userId, deletedAt: null, status: { in: [...TERMINAL_STATUSES] } },
      data: { deletedAt: new Date() },
    });
    if (claimed.count === 0) throw new AppError("not_found", "That generation no longer exists.");
    // Its share links go with it: a deleted image is no longer shown to anyone.
    await tx.shareLink.deleteMany({ where: { generationId: id, userId } });

    const uploads = generation.inputs
      .map((input) => input.asset)
      .filter((asset) => asset.kind === "upload" && asset.userId === userId);
    const candidates = [...generation.outputs, ...uploads];
    // Locks the images before asking who still uses them: a submit that has already taken them
    // (FOR KEY SHARE, in its own transaction) makes this wait until it commits, so the question
    // below sees its input rows; a submit arriving after this lock waits for us and then finds the
    // image gone. Without the lock the answer could be stale and the cascade would take its input.
    const candidateIds = candidates.map((a) => a.id).sort();
    if (candidateIds.length > 0) {
      await tx.$queryRaw`SELECT "id" FROM "Asset" WHERE "id" IN (${Prisma.join(candidateIds)}) ORDER BY "id" FOR UPDATE`;
    }
    const stillUsed = new Set(
      (
        await tx.generationInput.findMany({
          where: { assetId: { in: candidates.map((a) => a.id) }, generation: { deletedAt: null } },
          select: { assetId: true },
        })
      ).map((row) => row.assetId),
    );

    const keptOutputs = generation.outputs.filter((asset) => stillUsed.has(asset.id)).map((a) => a.id);
    if (keptOutputs.length > 0) {
      await tx.asset.updateMany({
        where: { id: { in: keptOutputs }, userId },
        data: { kind: "upload", generationId: null },
      });
    }
    const unique = new Map<string, StoredAsset>();
    for (const asset of candidates) if (!stillUsed.has(asset.id)) unique.set(asset.id, asset);
    const removed = [...unique.values()];
    await tx.asset.deleteMany({ where: { id: { in: removed.map((a) => a.id) }, userId } });
    return { removed, keptOutputs: keptOutputs.length };
  });

  const keys = doomed.flatMap((asset) =>
    asset.thumbKey ? [asset.storageKey, asset.thumbKey] : [asset.storageKey],
  );
  if (keys.length === 0) return { keptOutputs };
  // The rows are gone, so the images already are for the user; a failure here only leaves bytes behind.
  await storage.delete(keys).catch((error: unknown) => {
    logUnexpected(error, "deleting a generation's files");
  });
  return { keptOutputs };
}
