import "server-only";

import type { BulkDeleteResult, ParsedBulkTarget } from "@/lib/bulk";
import { AppError } from "@/server/errors";
import type { MediaStorage } from "@/server/storage";

import { batches, resolveTargets } from "./bulk-targets";
import { deleteGenerationForUser } from "./delete-generation";

const BATCH = 50;

/**
 * Deletes many of the user's own generations, each exactly as a single delete does (its own short
 * transaction and row locks, so nothing is held for the length of the selection). A running job is
 * left alone and counted; an id that is not the user's is counted and never touched.
 */
export async function deleteMany(
  userId: string,
  target: ParsedBulkTarget,
  options: { storage?: MediaStorage } = {},
): Promise<BulkDeleteResult> {
  const { ids, ignored } = await resolveTargets(userId, target);
  const result: BulkDeleteResult = { deleted: 0, kept: 0, running: 0, ignored };
  for (const batch of batches(ids, BATCH)) {
    for (const id of batch) {
      try {
        const { keptOutputs } = await deleteGenerationForUser(userId, id, options);
        result.deleted += 1;
        result.kept += keptOutputs;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === "conflict") result.running += 1;
        else if (error.code === "not_found") result.ignored += 1;
        else throw error;
      }
    }
  }
  return result;
}
