import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { isTerminal, type GenerationStatus } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";
import { fetchJson, HttpError } from "@/lib/query-client";

import { GENERATIONS_KEY, generationKey, isPendingId, ME_KEY } from "@/lib/query-keys";

// One generation, kept fresh while it runs, with a poll that backs off and stops once it settles.

/** 1 s at first, then growing by half each time, never more than 5 s. */
export function pollDelay(polls: number): number {
  return Math.min(1000 * 1.5 ** Math.max(0, polls - 1), 5000);
}

/**
 * After a job settles the balance is fetched again (one request however many jobs settle at once).
 * Lists are only marked stale: the cards on screen poll their own job, and a list is fetched again
 * the next time a page shows it.
 */
export function refreshAfterJob(client: QueryClient) {
  void client.invalidateQueries({ queryKey: ME_KEY }, { cancelRefetch: false });
  void client.invalidateQueries({ queryKey: GENERATIONS_KEY, refetchType: "none" });
}

export function useGeneration(id: string, initial?: GenerationDto) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: generationKey(id),
    queryFn: () => fetchJson<GenerationDto>(`/api/generations/${encodeURIComponent(id)}`),
    initialData: initial,
    // A running job's snapshot is stale at once; a finished one stays true.
    initialDataUpdatedAt: initial && !isTerminal(initial.status) ? 0 : undefined,
    enabled: !isPendingId(id),
    staleTime: (q) => (q.state.data && isTerminal(q.state.data.status) ? Infinity : 0),
    refetchInterval: (q) => {
      const data = q.state.data;
      if (q.state.error instanceof HttpError && q.state.error.status < 500) return false;
      if (!data || isTerminal(data.status)) return false;
      return pollDelay(q.state.dataUpdateCount);
    },
    refetchIntervalInBackground: false,
  });

  const status = query.data?.status;
  const previous = useRef<GenerationStatus | undefined>(status);
  useEffect(() => {
    const before = previous.current;
    previous.current = status;
    if (status && before && !isTerminal(before) && isTerminal(status)) refreshAfterJob(client);
  }, [client, status]);

  return query;
}
