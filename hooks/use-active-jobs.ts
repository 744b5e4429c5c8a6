import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { MAX_WAIT_SECONDS, type ActiveJobsDto } from "@/lib/live-query";
import { fetchJson, HttpError } from "@/lib/query-client";
import { ACTIVE_JOBS_KEY, generationKey } from "@/lib/query-keys";

// One long poll per tab for all the user's running jobs, whichever views show them (create, edit,
// remix, gallery). Each answer is copied into the jobs' own queries, which the cards read; the next
// long poll starts right after, with the answer's cursor, so the server answers at the next change.

/** The pause between one answer and the next long poll. */
const NEXT_POLL_MS = 200;
/** After a failed long poll, the next one waits this long (on top of React Query's retries). */
const AFTER_ERROR_MS = 5_000;

let catchUpNext = false;

/** Asks for the running jobs now, without waiting: a job appeared that the last answer did not list. */
export function catchUpActiveJobs(client: QueryClient) {
  catchUpNext = true;
  void client.invalidateQueries({ queryKey: ACTIVE_JOBS_KEY });
}

export function useActiveJobs(enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ACTIVE_JOBS_KEY,
    queryFn: async ({ signal }) => {
      const previous = client.getQueryData<ActiveJobsDto>(ACTIVE_JOBS_KEY);
      const params = new URLSearchParams({ wait: String(previous && !catchUpNext ? MAX_WAIT_SECONDS : 0) });
      if (previous) params.set("cursor", previous.cursor);
      catchUpNext = false;
      const active = await fetchJson<ActiveJobsDto>(`/api/generations/active?${params}`, { signal });
      for (const job of active.jobs) client.setQueryData(generationKey(job.id), job);
      return active;
    },
    enabled,
    refetchInterval: (q) => {
      if (q.state.error instanceof HttpError && q.state.error.status < 500) return false;
      return q.state.error ? AFTER_ERROR_MS : NEXT_POLL_MS;
    },
    // A long poll costs one request per change or per 25 s, so a hidden tab keeps its jobs current.
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
  });
}
