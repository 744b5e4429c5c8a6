"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { type ActionResult, errorText } from "@/lib/action-result";
import type { Operation } from "@/lib/domain";
import type { GenerationDto, GenerationPage } from "@/lib/dto";
import { generationKey, ME_KEY, PENDING_PREFIX, recentJobsKey } from "@/lib/query-keys";

type SubmitResult = ActionResult<{ generationId: string }>;

export type SubmitOutcome =
  { ok: true; generation: GenerationDto } | { ok: false; message: string; retryAfter?: number };

export type JobDraft = Pick<
  GenerationDto,
  "prompt" | "negativePrompt" | "aspectRatio" | "seed" | "requestedProvider" | "cost" | "parentId" | "inputs"
>;

let counter = 0;

function optimisticJob(kind: Operation, draft: JobDraft): GenerationDto {
  const now = new Date().toISOString();
  counter += 1;
  return {
    ...draft,
    id: `${PENDING_PREFIX}${Date.now().toString(36)}-${counter}`,
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

function withItem(page: GenerationPage | undefined, item: GenerationDto, replaceId?: string): GenerationPage {
  const items = (page?.items ?? []).filter((g) => g.id !== item.id && g.id !== replaceId);
  return { items: [item, ...items], nextCursor: page?.nextCursor ?? null };
}

/**
 * Submits a job and shows it at once: a card appears before the server answers, then takes the
 * server's id (and starts polling) or disappears with the server's message.
 */
export function useSubmitJob(kind: Operation) {
  const client = useQueryClient();
  const [inFlight, setInFlight] = useState(0);

  /** `onShown` receives the card's first (optimistic) state, for pages that show the job elsewhere too. */
  async function submit(
    draft: JobDraft,
    run: () => Promise<SubmitResult>,
    onShown?: (job: GenerationDto) => void,
  ): Promise<SubmitOutcome> {
    const optimistic = optimisticJob(kind, draft);
    onShown?.(optimistic);
    const startedAt = Date.now();
    const listKey = recentJobsKey(kind);
    client.setQueryData<GenerationPage>(listKey, (page) => withItem(page, optimistic));
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
      client.setQueryData<GenerationPage>(listKey, (page) =>
        page ? { ...page, items: page.items.filter((g) => g.id !== optimistic.id) } : page,
      );
      void client.invalidateQueries({ queryKey: ME_KEY }, { cancelRefetch: false });
      return { ok: false, message: errorText(result.error), retryAfter: result.error.retryAfter };
    }
    const accepted: GenerationDto = {
      ...optimistic,
      id: result.data.generationId,
      elapsedMs: Date.now() - startedAt,
    };
    client.setQueryData(generationKey(accepted.id), accepted);
    client.setQueryData<GenerationPage>(listKey, (page) => withItem(page, accepted, optimistic.id));
    void client.invalidateQueries({ queryKey: ME_KEY }, { cancelRefetch: false });
    return { ok: true, generation: accepted };
  }

  return { submit, submitting: inFlight > 0 };
}
