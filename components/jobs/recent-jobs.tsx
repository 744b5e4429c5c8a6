"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import type { Operation } from "@/lib/domain";
import { groupBatches } from "@/lib/batches";
import type { GenerationPage } from "@/lib/dto";
import { fetchJson } from "@/lib/query-client";
import { RECENT_TAKE, recentJobsKey } from "@/lib/query-keys";

import { BatchCard } from "./batch-card";
import { JobCard } from "./job-card";

const NOUNS: Record<Operation, string> = { create: "creations", edit: "edits", remix: "remixes" };

/** The latest jobs of one kind: the first page of the gallery, so a reload keeps them. */
export function RecentJobs({ kind, initial }: { kind: Operation; initial: GenerationPage }) {
  const { data } = useQuery({
    queryKey: recentJobsKey(kind),
    queryFn: () => fetchJson<GenerationPage>(`/api/generations?kind=${kind}&take=${RECENT_TAKE}`),
    initialData: initial,
  });
  const items = data.items;
  return (
    <section aria-labelledby={`recent-${kind}`} className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between gap-4">
        <h2 id={`recent-${kind}`} className="scroll-mt-20 text-lg font-semibold">
          Recent {NOUNS[kind]}
        </h2>
        {items.length > 0 ? (
          <Link
            href={`/gallery?kind=${kind}`}
            className="text-accent text-sm font-medium underline-offset-4 hover:underline"
          >
            All in the gallery
          </Link>
        ) : null}
      </div>
      {items.length === 0 ? (
        <p className="border-border text-muted rounded-xl border border-dashed px-4 py-10 text-center text-sm">
          Your {NOUNS[kind]} will appear here as soon as you submit one.
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 lg:grid-cols-3" data-testid="recent-jobs">
          {groupBatches(items).map((group) =>
            group.kind === "batch" ? (
              <li key={group.batchId} className="col-span-2">
                <BatchCard batchId={group.batchId} jobs={group.jobs} />
              </li>
            ) : (
              <li key={group.job.id}>
                <JobCard initial={group.job} />
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}
