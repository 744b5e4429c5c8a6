import type { GenerationDto } from "./dto";

/** A list entry: one job on its own, or the images of one batch together. */
export type JobGroup =
  { kind: "job"; job: GenerationDto } | { kind: "batch"; batchId: string; jobs: GenerationDto[] };

/**
 * Groups a list of jobs (newest first) for display: a batch's images become one entry where its
 * first image appears, in the order they were made (the list has them newest first).
 */
export function groupBatches(items: GenerationDto[]): JobGroup[] {
  const groups: JobGroup[] = [];
  const batches = new Map<string, GenerationDto[]>();
  for (const job of items) {
    if (!job.batchId) {
      groups.push({ kind: "job", job });
      continue;
    }
    const jobs = batches.get(job.batchId);
    if (jobs) {
      jobs.unshift(job);
      continue;
    }
    const fresh = [job];
    batches.set(job.batchId, fresh);
    groups.push({ kind: "batch", batchId: job.batchId, jobs: fresh });
  }
  return groups;
}
