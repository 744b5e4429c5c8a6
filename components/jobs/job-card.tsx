"use client";

import Link from "next/link";

import type { GenerationDto } from "@/lib/dto";
import { isPendingId } from "@/lib/query-keys";
import { useGeneration } from "@/hooks/use-generation";

import { ElapsedTime } from "./elapsed-time";
import { CostText, providerText } from "./job-meta";
import { JobPreview } from "./job-preview";
import { StatusBadge } from "./status-badge";
import { VaryButton } from "./vary-button";

/**
 * One job in a list: its image or the box it will fill, its state, time, provider and cost. In a
 * batch (`label` set, "Image 2 of 4") the batch shows the prompt once, and the card names itself.
 */
export function JobCard({ initial, label }: { initial: GenerationDto; label?: string }) {
  const { data, dataUpdatedAt } = useGeneration(initial.id, initial);
  const g = data ?? initial;
  const pending = isPendingId(g.id);
  const measuredAt = pending ? Date.parse(g.createdAt) : dataUpdatedAt;
  const promptId = `job-${g.id}-prompt`;
  return (
    <article
      data-testid="job-card"
      data-status={g.status}
      data-generation-id={pending ? undefined : g.id}
      aria-labelledby={promptId}
      data-batch-id={g.batchId ?? undefined}
      className="border-border bg-surface flex flex-col overflow-hidden rounded-xl border"
    >
      {pending || g.status !== "succeeded" ? (
        <JobPreview generation={g} />
      ) : (
        <Link href={`/gallery/${g.id}`} aria-label={`Open: ${label ?? g.prompt}`} tabIndex={-1}>
          <JobPreview generation={g} />
        </Link>
      )}
      <div className="flex flex-col gap-2 p-3">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
          <span role="status">
            <StatusBadge status={g.status} />
          </span>
          <span className="text-muted">
            <ElapsedTime status={g.status} elapsedMs={g.elapsedMs} measuredAt={measuredAt} />
          </span>
          <span className="text-muted">{providerText(g)}</span>
          <span className="text-muted ml-auto">
            <CostText generation={g} />
          </span>
        </div>
        {label ? (
          <p id={promptId} className="text-sm font-medium">
            {label}
          </p>
        ) : (
          <p id={promptId} className="line-clamp-2 text-sm" title={g.prompt}>
            {g.prompt}
          </p>
        )}
        {g.status === "failed" ? (
          <p className="text-danger text-sm" data-testid="job-error">
            {g.errorMessage ?? "The job failed."}
          </p>
        ) : null}
        {pending ? null : (
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
            <Link
              href={`/gallery/${g.id}`}
              className="text-accent text-sm font-medium underline-offset-4 hover:underline"
            >
              Details
            </Link>
            {g.status === "succeeded" ? <VaryButton generation={g} size="small" /> : null}
          </div>
        )}
      </div>
    </article>
  );
}
