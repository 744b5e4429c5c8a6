import "server-only";

import type { RawAnswer } from "@/server/providers/answers";
import { logUnexpected } from "@/server/log";

import type { LifecycleDeps } from "./deps";

/** How many raw answers a job keeps: enough to see how it ended, small enough to never grow. */
export const ANSWERS_KEPT = 5;

/**
 * Keeps a job's latest raw answers (already scrubbed and capped) and drops older ones. Best
 * effort: an operator's aid never stops a job.
 */
export async function keepAnswers(
  deps: Pick<LifecycleDeps, "db">,
  generationId: string,
  answers: RawAnswer[],
): Promise<void> {
  if (answers.length === 0) return;
  const now = Date.now();
  try {
    await deps.db.providerAnswer.createMany({
      // Distinct instants keep their order when several arrive in one piece of work.
      data: answers.slice(-ANSWERS_KEPT).map((answer, i) => ({
        generationId,
        provider: answer.provider,
        operation: answer.operation,
        httpStatus: answer.httpStatus ?? null,
        body: answer.body,
        receivedAt: new Date(now + i),
      })),
    });
    await deps.db.$executeRaw`
      DELETE FROM "ProviderAnswer"
      WHERE "generationId" = ${generationId}
        AND "id" NOT IN (
          SELECT "id" FROM "ProviderAnswer" WHERE "generationId" = ${generationId}
          ORDER BY "receivedAt" DESC, "id" DESC LIMIT ${ANSWERS_KEPT}
        )`;
  } catch (error) {
    logUnexpected(error, `keeping provider answers of job ${generationId}`);
  }
}

/** A job's kept answers, newest first. */
export async function answersOf(deps: Pick<LifecycleDeps, "db">, generationId: string) {
  return deps.db.providerAnswer.findMany({
    where: { generationId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    select: { provider: true, operation: true, httpStatus: true, body: true, receivedAt: true },
  });
}
