"use client";

import { Download, ExternalLink } from "lucide-react";
import Link from "next/link";

import { CompareSlider } from "@/components/editor/compare-slider";
import { buttonClass } from "@/components/ui/button";
import type { GenerationDto } from "@/lib/dto";
import { isPendingId } from "@/lib/query-keys";
import { useGeneration } from "@/hooks/use-generation";

import { ElapsedTime } from "./elapsed-time";
import { CostText, providerText } from "./job-meta";
import { JobPreview } from "./job-preview";
import { StatusBadge } from "./status-badge";

/**
 * The job just submitted, large, beside the form: its live state, then the result, compared with
 * the input when there is one. `actions` adds page-specific buttons (e.g. "Edit again").
 */
export function JobResult({
  job,
  actions,
}: {
  job: GenerationDto;
  actions?: (job: GenerationDto) => React.ReactNode;
}) {
  const { data, dataUpdatedAt } = useGeneration(job.id, job);
  const g = data ?? job;
  const pending = isPendingId(g.id);
  const input = g.inputs[0];
  const output = g.outputs[0];
  return (
    <section
      aria-labelledby="result-heading"
      data-testid="job-result"
      data-status={g.status}
      className="border-border bg-surface flex flex-col gap-3 rounded-2xl border p-3 sm:p-4"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <h2 id="result-heading" className="scroll-mt-20 font-semibold">
          Result
        </h2>
        <span role="status">
          <StatusBadge status={g.status} />
        </span>
        <span className="text-muted">
          <ElapsedTime
            status={g.status}
            elapsedMs={g.elapsedMs}
            measuredAt={pending ? Date.parse(g.createdAt) : dataUpdatedAt}
          />
        </span>
        <span className="text-muted">{providerText(g)}</span>
        <span className="text-muted ml-auto">
          <CostText generation={g} />
        </span>
      </div>
      {g.status === "succeeded" && output && input && g.kind === "edit" ? (
        <CompareSlider before={input} after={output} />
      ) : (
        <JobPreview generation={g} variant="original" className="rounded-xl" />
      )}
      {g.status === "failed" ? (
        <p className="text-danger text-sm" data-testid="job-error">
          {g.errorMessage ?? "The job failed."}
        </p>
      ) : null}
      {g.status === "succeeded" && output ? (
        <div className="flex flex-wrap gap-2">
          {actions?.(g)}
          <a href={output.downloadUrl} download className={buttonClass("secondary")}>
            <Download className="size-4" aria-hidden /> Download
          </a>
          <Link href={`/gallery/${g.id}`} className={buttonClass("ghost")}>
            <ExternalLink className="size-4" aria-hidden /> Details
          </Link>
        </div>
      ) : null}
    </section>
  );
}

/** Where the result will appear, before anything has been submitted. */
export function ResultPlaceholder({ children }: { children: React.ReactNode }) {
  return (
    <div className="border-border text-muted flex min-h-48 items-center justify-center rounded-2xl border border-dashed px-6 py-12 text-center text-sm">
      {children}
    </div>
  );
}
