"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

import { ElapsedTime } from "@/components/jobs/elapsed-time";
import { JobPreview } from "@/components/jobs/job-preview";
import { StatusBadge } from "@/components/jobs/status-badge";
import { FormAlert } from "@/components/ui/form-alert";
import { isTerminal } from "@/lib/domain";
import type { CollectionSummary } from "@/lib/collections";
import type { GenerationDto } from "@/lib/dto";
import { useGeneration } from "@/hooks/use-generation";

import { DetailActions } from "./detail-actions";
import { GenerationFacts } from "./generation-facts";

/** The detail page's live part: the image (or its progress), the facts and the actions. */
export function GenerationDetail({
  initial,
  collections,
}: {
  initial: GenerationDto;
  collections: CollectionSummary[];
}) {
  const { data, dataUpdatedAt } = useGeneration(initial.id, initial);
  const g = data ?? initial;
  const router = useRouter();
  const wasRunning = useRef(!isTerminal(initial.status));
  useEffect(() => {
    // The chain below is rendered on the server; once this job settles it is refreshed too.
    if (wasRunning.current && isTerminal(g.status)) {
      wasRunning.current = false;
      router.refresh();
    }
  }, [g.status, router]);

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_360px]">
      <div className="flex flex-col gap-2">
        <JobPreview generation={g} variant="original" className="border-border rounded-2xl border" />
        {g.status === "failed" ? (
          <FormAlert data-testid="job-error">{g.errorMessage ?? "The job failed."}</FormAlert>
        ) : null}
      </div>
      <div className="flex flex-col gap-5">
        <div className="flex items-center gap-3 text-sm">
          <span role="status">
            <StatusBadge status={g.status} />
          </span>
          <span className="text-muted">
            <ElapsedTime status={g.status} elapsedMs={g.elapsedMs} measuredAt={dataUpdatedAt} />
          </span>
        </div>
        <DetailActions generation={g} collections={collections} />
        <GenerationFacts generation={g} />
      </div>
    </div>
  );
}
