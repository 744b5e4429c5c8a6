import type { LoggedRequest } from "@/emulator/server";

// Reads the emulator's request log for the scale test: which status call asked about which
// provider job, and whether two calls about one job were ever in flight at once.

/** `provider:jobId` of a status read, or undefined for any other request. */
export function statusCallJob(request: LoggedRequest): string | undefined {
  if (request.method !== "GET") return undefined;
  const id =
    request.provider === "reve2img"
      ? request.path === "/api/v1/status"
        ? request.query.task_id
        : undefined
      : (request.provider === "apiframe" && /^\/v2\/jobs\/([^/]+)$/.exec(request.path)?.[1]) ||
        (request.provider === "pixazo" && /^\/v2\/requests\/status\/([^/]+)$/.exec(request.path)?.[1]) ||
        (request.provider === "reveart" &&
          /^\/v1\/reve-image\/status\/([^/]+)\/?$/.exec(request.path)?.[1]) ||
        undefined;
  return id ? `${request.provider}:${decodeURIComponent(id)}` : undefined;
}

export function statusCallsByJob(log: LoggedRequest[]): Map<string, LoggedRequest[]> {
  const byJob = new Map<string, LoggedRequest[]>();
  for (const request of log) {
    const job = statusCallJob(request);
    if (!job) continue;
    const calls = byJob.get(job) ?? [];
    calls.push(request);
    byJob.set(job, calls);
  }
  return byJob;
}

export interface Overlap {
  job: string;
  first: { startedAt: number; endedAt: number };
  second: { startedAt: number; endedAt: number };
}

/**
 * Pairs of status calls about one job whose [startedAt, endedAt] intervals overlap: two pollers at
 * once. Timestamps are whole milliseconds, so a call starting in the millisecond the previous one
 * ended is not counted.
 */
export function overlappingCalls(byJob: Map<string, LoggedRequest[]>): Overlap[] {
  const overlaps: Overlap[] = [];
  for (const [job, calls] of byJob) {
    const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
    let open = sorted[0];
    for (const call of sorted.slice(1)) {
      if (open && call.startedAt < open.endedAt) {
        overlaps.push({
          job,
          first: { startedAt: open.startedAt, endedAt: open.endedAt },
          second: { startedAt: call.startedAt, endedAt: call.endedAt },
        });
      }
      if (!open || call.endedAt > open.endedAt) open = call;
    }
  }
  return overlaps;
}
