import { createHash, randomUUID } from "node:crypto";

import sharp from "sharp";

import type { AspectRatio, Operation, ProviderId } from "@/lib/domain";

import type { EmulatorConfig } from "./config";
import type { FileStore } from "./files";
import { ASPECT_SIZES, closestRatio, inspectImage, renderEdit, renderRemix } from "./images";
import { fetchInput, InputError } from "./inputs";
import { forever, sleep, type Limiter } from "./limit";
import { stripMarkers, type Drift, type JobOutcome, type Markers } from "./markers";

// Jobs in memory. A job's state is computed from the time since submit (queued for the first 30%
// of its duration, then processing, then terminal), so reading it needs no timer. Edit and remix
// fetch and render their inputs right away; a job whose inputs are not ready stays processing.

export const QUEUED_SHARE = 0.3;
const MAX_JOBS = 100_000;

export type FailureKind = "fail" | "error" | "policy" | "input";

export const FAILURE_MESSAGES: Record<Exclude<FailureKind, "input">, string> = {
  fail: "The generation failed.",
  error: "Internal error while processing the request.",
  policy: "The request was rejected by the content policy.",
};

export interface JobSpec {
  provider: ProviderId;
  /** Each reseller formats its own ids. */
  id: string;
  operation: Operation;
  /** reve2img's model name, which sets the credits a task consumes. */
  model?: string;
  prompt: string;
  negativePrompt?: string;
  seed?: number;
  /** Unset: 1:1 for create, the input's shape for edit, the first reference's nearest ratio for remix. */
  ratio?: AspectRatio;
  inputs?: string[];
  markers: Markers;
  /** Overrides the configured duration (synchronous reve2img models finish at once). */
  durationMs?: number;
}

export interface Job {
  id: string;
  provider: ProviderId;
  operation: Operation;
  model?: string;
  prompt: string;
  negativePrompt?: string;
  seed: number;
  ratio?: AspectRatio;
  inputs: string[];
  createdAt: number;
  durationMs: number;
  outcome: JobOutcome;
  malformedStatus: boolean;
  /** How this job's answers drift from the document (see markers.ts). */
  drift: Drift;
  fileIds: string[];
  width?: number;
  height?: number;
  /** Edit and remix: settles when the inputs are fetched and the outputs rendered (or not). */
  ready?: Promise<void>;
  readyAt?: number;
  inputError?: string;
}

/** One job as the admin endpoint lists it: when it was taken and when it ended (null: not yet). */
export interface JobLogEntry {
  id: string;
  provider: ProviderId;
  operation: Operation;
  createdAt: number;
  phase: JobView["phase"];
  completedAt: number | null;
  /** The result files' ids (`/files/<id>.png`), in the request log's paths. */
  fileIds: string[];
}

export type JobView =
  | { phase: "queued" | "processing"; updatedAt: number }
  | { phase: "succeeded"; completedAt: number; urls: string[]; width: number; height: number }
  | { phase: "failed"; completedAt: number; kind: FailureKind; message: string };

export interface JobStoreDeps {
  config: () => EmulatorConfig;
  baseUrl: () => string;
  files: FileStore;
  /** Bounds concurrent edit/remix preparations (downloads and rendering). */
  prepLimit: Limiter;
  renderLimit: Limiter;
  signal: AbortSignal;
}

/** failRate picks its victims from the job id, so a given job always fails the same way. */
function plannedOutcome(id: string, failRate: number): JobOutcome {
  if (failRate <= 0) return "success";
  const hash = createHash("sha256").update(id).digest();
  if (hash.readUInt32BE(0) / 2 ** 32 >= failRate) return "success";
  const modes = ["fail", "policy", "error"] as const;
  return modes[(hash[4] ?? 0) % modes.length]!;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly deps: JobStoreDeps) {}

  create(spec: JobSpec): Job {
    const config = this.deps.config();
    const now = Date.now();
    const job: Job = {
      id: spec.id,
      provider: spec.provider,
      operation: spec.operation,
      model: spec.model,
      prompt: spec.prompt,
      negativePrompt: spec.negativePrompt,
      seed: spec.seed ?? 0,
      ratio: spec.ratio ?? (spec.operation === "create" ? "1:1" : undefined),
      inputs: spec.inputs ?? [],
      createdAt: now,
      durationMs: spec.durationMs ?? spec.markers.slowMs ?? config.jobMs,
      outcome: spec.markers.outcome ?? plannedOutcome(spec.id, config.failRate),
      malformedStatus: spec.markers.malformedStatus,
      drift: spec.markers.drift,
      fileIds: [],
    };
    if (job.outcome === "success") {
      const endsAt = now + job.durationMs;
      job.fileIds = Array.from({ length: spec.markers.multi ? 2 : 1 }, () => randomUUID());
      if (job.operation === "create") {
        const ratio = job.ratio ?? "1:1";
        const text = stripMarkers(job.prompt);
        job.width = ASPECT_SIZES[ratio].width;
        job.height = ASPECT_SIZES[ratio].height;
        job.fileIds.forEach((fileId, variant) =>
          this.deps.files.addRecipe(
            fileId,
            { prompt: text, negativePrompt: job.negativePrompt, seed: job.seed, ratio, variant },
            endsAt,
          ),
        );
      } else {
        job.fileIds.forEach((fileId) => this.deps.files.addPending(fileId, endsAt));
        job.ready = this.prepare(job);
      }
    }
    this.jobs.set(job.id, job);
    this.evictOldest();
    return job;
  }

  get(id: string, provider: ProviderId): Job | undefined {
    const job = this.jobs.get(id);
    return job?.provider === provider ? job : undefined;
  }

  get size(): number {
    return this.jobs.size;
  }

  /** Every job still kept, oldest first, with the moment it ended as its status reads would say. */
  list(now = Date.now()): JobLogEntry[] {
    return [...this.jobs.values()].map((job) => {
      const view = this.view(job, now);
      return {
        id: job.id,
        provider: job.provider,
        operation: job.operation,
        createdAt: job.createdAt,
        phase: view.phase,
        completedAt: "completedAt" in view ? view.completedAt : null,
        fileIds: [...job.fileIds],
      };
    });
  }

  processingAt(job: Job): number {
    return job.createdAt + Math.round(job.durationMs * QUEUED_SHARE);
  }

  view(job: Job, now = Date.now()): JobView {
    const processingAt = this.processingAt(job);
    if (now < processingAt) return { phase: "queued", updatedAt: job.createdAt };
    const endsAt = job.createdAt + job.durationMs;
    if (job.outcome === "never" || now < endsAt) return { phase: "processing", updatedAt: processingAt };
    if (job.outcome !== "success") {
      return {
        phase: "failed",
        completedAt: endsAt,
        kind: job.outcome,
        message: FAILURE_MESSAGES[job.outcome],
      };
    }
    if (job.ready && job.readyAt === undefined) return { phase: "processing", updatedAt: processingAt };
    const completedAt = Math.max(endsAt, job.readyAt ?? 0);
    if (job.inputError !== undefined) {
      return { phase: "failed", completedAt, kind: "input", message: job.inputError };
    }
    const base = this.deps.baseUrl();
    return {
      phase: "succeeded",
      completedAt,
      urls: job.fileIds.map((fileId) => `${base}/files/${fileId}.png`),
      width: job.width ?? 0,
      height: job.height ?? 0,
    };
  }

  /** Resolves with the terminal view; rejects when `signal` aborts first. Never resolves for `[emu:never]`. */
  async whenTerminal(job: Job, signal = this.deps.signal): Promise<JobView> {
    if (job.outcome === "never") await forever(signal);
    // A timer may fire a millisecond before Date.now() reaches its end, when view() still says
    // "processing": wait until the clock really has passed it.
    const endsAt = job.createdAt + job.durationMs;
    while (Date.now() < endsAt) await sleep(endsAt - Date.now() + 1, signal);
    if (job.ready) await job.ready;
    return this.view(job);
  }

  private async prepare(job: Job): Promise<void> {
    const { files, prepLimit, renderLimit, signal } = this.deps;
    const text = stripMarkers(job.prompt);
    try {
      await prepLimit(async () => {
        const label = (i: number) =>
          job.operation === "edit" ? "The input image" : `Reference image ${i + 1}`;
        const inputs = await Promise.all(job.inputs.map((url, i) => fetchInput(url, label(i), signal)));
        if (job.operation === "remix" && !job.ratio) {
          const first = await inspectImage(inputs[0]!);
          job.ratio = closestRatio(first.width, first.height);
        }
        for (const [variant, fileId] of job.fileIds.entries()) {
          const png = await renderLimit(() =>
            job.operation === "edit"
              ? renderEdit(inputs[0]!, text, variant)
              : renderRemix(inputs, text, job.ratio ?? "1:1", variant),
          );
          const meta = await sharp(png).metadata();
          job.width = meta.width;
          job.height = meta.height;
          await files.store(fileId, png);
        }
      });
    } catch (error) {
      job.inputError =
        error instanceof InputError ? error.message : "The input images could not be processed.";
    } finally {
      job.readyAt = Date.now();
    }
  }

  private evictOldest(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= MAX_JOBS) break;
      this.jobs.delete(id);
      job.fileIds.forEach((fileId) => this.deps.files.remove(fileId));
    }
  }
}
