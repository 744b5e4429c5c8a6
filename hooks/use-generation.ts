import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { isTerminal, type GenerationStatus } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";
import { fetchJson } from "@/lib/query-client";

import { GENERATIONS_KEY, generationKey, isPendingId, ME_KEY } from "@/lib/query-keys";

import { catchUpActiveJobs, useActiveJobs } from "./use-active-jobs";

// One generation, kept fresh while it runs by the tab's one long poll of all running jobs
// (useActiveJobs); its own query only fetches it when that poll cannot say.

/**
 * After a job settles the balance is fetched again (one request however many jobs settle at once).
 * Lists are only marked stale: the cards on screen follow their own job, and a list is fetched
 * again the next time a page shows it.
 */
export function refreshAfterJob(client: QueryClient) {
  void client.invalidateQueries({ queryKey: ME_KEY }, { cancelRefetch: false });
  void client.invalidateQueries({ queryKey: GENERATIONS_KEY, refetchType: "none" });
}

/** When each job missing from the active jobs was last asked for, per tab. */
const askedFor = new Map<string, number>();

export function useGeneration(id: string, initial?: GenerationDto) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: generationKey(id),
    queryFn: () => fetchJson<GenerationDto>(`/api/generations/${encodeURIComponent(id)}`),
    initialData: initial,
    enabled: !isPendingId(id),
    // The active jobs' long poll keeps a running job current; a finished one stays true.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  const status = query.data?.status;
  const running = !isPendingId(id) && status !== undefined && !isTerminal(status);
  const active = useActiveJobs(running);
  const listed = active.data?.jobs.some((job) => job.id === id);
  useEffect(() => {
    if (!running || !active.data || listed) return;
    // A job the last answer did not list was submitted after it was read (ask again at once), or
    // ended before a cursor could show it (read the job itself once the next answer still lacks it).
    const asked = askedFor.get(id);
    if (asked === undefined) {
      askedFor.set(id, Date.now());
      catchUpActiveJobs(client);
    } else if (active.dataUpdatedAt > asked) {
      askedFor.set(id, Date.now());
      void client.invalidateQueries({ queryKey: generationKey(id) });
    }
  }, [client, id, running, listed, active.data, active.dataUpdatedAt]);

  const previous = useRef<GenerationStatus | undefined>(status);
  useEffect(() => {
    const before = previous.current;
    previous.current = status;
    if (status && before && !isTerminal(before) && isTerminal(status)) refreshAfterJob(client);
  }, [client, status]);

  return query;
}
