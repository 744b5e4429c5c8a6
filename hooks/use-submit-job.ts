"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { type ActionResult, errorText } from "@/lib/action-result";
import type { Operation } from "@/lib/domain";
import type { GenerationDto, GenerationPage } from "@/lib/dto";
import { generationKey, ME_KEY, PENDING_PREFIX, recentJobsKey } from "@/lib/query-keys";

import { noteSubmitted } from "./use-done-while-away";

/** What every submit action answers: the job, or the jobs of a batch. */
export type SubmitResult = ActionResult<{
  generationId: string;
  generationIds?: string[];
  batchId?: string | null;
}>;

export type SubmitOutcome =
  { ok: true; generation: GenerationDto } | { ok: false; message: string; retryAfter?: number };

export type JobDraft = Pick<
  GenerationDto,
  "prompt" | "negativePrompt" | "aspectRatio" | "seed" | "requestedProvider" | "cost" | "parentId" | "inputs"
>;

let counter = 0;

function optimisticJob(kind: Operation, draft: JobDraft, batchId: string | null): GenerationDto {
  const now = new Date().toISOString();
  counter += 1;
  return {
    ...draft,
    id: `${PENDING_PREFIX}${Date.now().toString(36)}-${counter}`,
    batchId,
    kind,
    status: "submitting",
    provider: null,
    charged: true,
    errorCode: null,
    errorMessage: null,
    favorite: false,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    elapsedMs: 0,
    outputs: [],
  };
}

function withItems(
  page: GenerationPage | undefined,
  added: GenerationDto[],
  replaced: GenerationDto[] = [],
): GenerationPage {
  const gone = new Set([...added, ...replaced].map((g) => g.id));
  const items = (page?.items ?? []).filter((g) => !gone.has(g.id));
  return { items: [...added, ...items], nextCursor: page?.nextCursor ?? null };
}

/**
 * Submits a job and shows it at once: a card appears before the server answers, then takes the
 * server's id (and starts polling) or disappears with the server's message.
 */
export function useSubmitJob(kind: Operation) {
  const client = useQueryClient();
  const [inFlight, setInFlight] = useState(0);

  /**
   * `onShown` receives the card's first (optimistic) state, for pages that show the job elsewhere
   * too. `count` images (a batch) show as that many cards, together, from the start.
   */
  async function submit(
    draft: JobDraft,
    run: () => Promise<SubmitResult>,
    onShown?: (job: GenerationDto) => void,
    count = 1,
  ): Promise<SubmitOutcome> {
    counter += 1;
    const pendingBatch = count > 1 ? `${PENDING_PREFIX}batch-${Date.now().toString(36)}-${counter}` : null;
    const optimistic = Array.from({ length: count }, (_, index) =>
      optimisticJob(kind, { ...draft, seed: draft.seed === null ? null : draft.seed + index }, pendingBatch),
    );
    onShown?.(optimistic[0]!);
    const startedAt = Date.now();
    const listKey = recentJobsKey(kind);
    client.setQueryData<GenerationPage>(listKey, (page) => withItems(page, optimistic));
    setInFlight((n) => n + 1);
    let result: SubmitResult;
    try {
      result = await run();
    } catch {
      result = {
        ok: false,
        error: {
          code: "internal",
          message: "The studio could not be reached. Check your connection and try again.",
        },
      };
    } finally {
      setInFlight((n) => n - 1);
    }
    if (!result.ok) {
      const shown = new Set(optimistic.map((g) => g.id));
      client.setQueryData<GenerationPage>(listKey, (page) =>
        page ? { ...page, items: page.items.filter((g) => !shown.has(g.id)) } : page,
      );
      void client.invalidateQueries({ queryKey: ME_KEY }, { cancelRefetch: false });
      return { ok: false, message: errorText(result.error), retryAfter: result.error.retryAfter };
    }
    const ids = result.data.generationIds ?? [result.data.generationId];
    const accepted: GenerationDto[] = ids.map((id, index) => ({
      ...(optimistic[index] ?? optimistic[0]!),
      id,
      batchId: result.data.batchId ?? null,
      elapsedMs: Date.now() - startedAt,
    }));
    for (const job of accepted) client.setQueryData(generationKey(job.id), job);
    client.setQueryData<GenerationPage>(listKey, (page) => withItems(page, accepted, optimistic));
    void client.invalidateQueries({ queryKey: ME_KEY }, { cancelRefetch: false });
    noteSubmitted();
    return { ok: true, generation: accepted[0]! };
  }

  return { submit, submitting: inFlight > 0 };
}
