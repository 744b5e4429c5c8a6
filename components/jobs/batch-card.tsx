"use client";

import { RotateCcw } from "lucide-react";
import { toast } from "sonner";

import type { GenerationDto } from "@/lib/dto";
import { isPendingId } from "@/lib/query-keys";
import { useHydrated } from "@/hooks/use-hydrated";
import { useSubmitJob } from "@/hooks/use-submit-job";
import { rerunBatchAction } from "@/server/actions/rerun-batch";

import { JobCard } from "./job-card";

/**
 * The images of one batch in one card: the prompt once, a 2×2 grid of results each with its own
 * state (and its own "Vary"), and a re-run of the whole batch.
 */
export function BatchCard({ batchId, jobs }: { batchId: string; jobs: GenerationDto[] }) {
  const first = jobs[0]!;
  const { submit, submitting } = useSubmitJob(first.kind);
  const hydrated = useHydrated();
  const promptId = `batch-${batchId}-prompt`;
  const pending = isPendingId(batchId);

  async function rerun() {
    const outcome = await submit(
      {
        prompt: first.prompt,
        negativePrompt: first.negativePrompt,
        aspectRatio: first.aspectRatio,
        seed: first.seed,
        requestedProvider: first.requestedProvider,
        cost: first.cost,
        parentId: null,
        inputs: first.inputs,
      },
      () => rerunBatchAction({ batchId }),
      undefined,
      jobs.length,
    );
    if (!outcome.ok) toast.error(outcome.message);
  }

  return (
    <article
      data-testid="batch-card"
      data-batch-id={pending ? undefined : batchId}
      aria-labelledby={promptId}
      className="border-border bg-surface-2/40 flex flex-col gap-3 rounded-xl border p-3"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p id={promptId} className="line-clamp-2 min-w-0 flex-1 text-sm" title={first.prompt}>
          <span className="text-muted">Batch of {jobs.length}: </span>
          {first.prompt}
        </p>
        {pending ? null : (
          <button
            type="button"
            onClick={rerun}
            disabled={!hydrated || submitting}
            className="text-accent inline-flex items-center gap-1 text-sm font-medium underline-offset-4 hover:underline disabled:opacity-50"
          >
            <RotateCcw className="size-4" aria-hidden /> {submitting ? "Re-running…" : "Re-run batch"}
          </button>
        )}
      </div>
      <ul className="grid grid-cols-2 gap-2" aria-label={`The ${jobs.length} images of this batch`}>
        {jobs.map((job, index) => (
          <li key={job.id}>
            <JobCard initial={job} label={`Image ${index + 1} of ${jobs.length}`} />
          </li>
        ))}
      </ul>
    </article>
  );
}
