import type { ProviderId } from "@/lib/domain";

import type { EmulatorConfig } from "./config";
import type { Job, JobStore, JobView } from "./jobs";
import { sleep } from "./limit";

// Callbacks to the studio. Each event is sent `webhookRepeat` times, each copy after
// `webhookDelayMs` plus up to `webhookJitterMs`, with a couple of retries when the target is down.
// A delivery that keeps failing is recorded and dropped; it never takes the emulator down.

export interface WebhookTarget {
  url: string;
  /** terminal: one event at the end; sync: also one when the job starts processing. */
  mode: "terminal" | "sync";
}

export interface WebhookDelivery {
  provider: ProviderId;
  jobId: string;
  /** The job phase the payload describes. */
  phase: JobView["phase"];
  copy: number;
  attempt: number;
  /** HTTP status of the answer, or null when the target could not be reached. */
  status: number | null;
  at: number;
}

const RETRY_DELAYS_MS = [250, 1000];
const DELIVERY_TIMEOUT_MS = 5000;
const MAX_RECORDED = 5000;

export interface WebhookSenderDeps {
  config: () => EmulatorConfig;
  jobs: JobStore;
  signal: AbortSignal;
}

/** With webhookHttpsToHttp, https://host:port/... is called as http://host:port/... (a TLS proxy stand-in). */
export function deliveryUrl(url: string, httpsToHttp: boolean): string {
  const target = new URL(url);
  if (httpsToHttp && target.protocol === "https:") {
    const port = target.port || "443";
    target.protocol = "http:";
    target.port = port;
  }
  return target.toString();
}

export class WebhookSender {
  private readonly recorded: WebhookDelivery[] = [];

  constructor(private readonly deps: WebhookSenderDeps) {}

  deliveries(): WebhookDelivery[] {
    return [...this.recorded];
  }

  /** Sends the job's events to `target`; `payload` renders a view in the reseller's callback shape. */
  schedule(job: Job, target: WebhookTarget, payload: (view: JobView) => unknown): void {
    const { jobs, signal } = this.deps;
    const run = async () => {
      if (target.mode === "sync") {
        await sleep(jobs.processingAt(job) - Date.now(), signal);
        // The job went through processing even when this timer fired late on a busy machine: report
        // it as it was then, and finish sending it before the terminal event, as a reseller sends its
        // events one after the other.
        const view = jobs.view(job, jobs.processingAt(job));
        if (view.phase === "processing") await this.send(job, target, view, payload(view));
      }
      const view = await jobs.whenTerminal(job);
      await this.send(job, target, view, payload(view));
    };
    // Rejects only when the emulator closes.
    run().catch(() => undefined);
  }

  /** Sends every copy of one event; settles when each has been delivered or given up on. */
  private async send(job: Job, target: WebhookTarget, view: JobView, payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    const repeat = Math.max(1, this.deps.config().webhookRepeat);
    const copies: Promise<void>[] = [];
    for (let copy = 1; copy <= repeat; copy++) {
      copies.push(this.deliver(job, target, view.phase, body, copy).catch(() => undefined));
    }
    await Promise.all(copies);
  }

  private async deliver(
    job: Job,
    target: WebhookTarget,
    phase: JobView["phase"],
    body: string,
    copy: number,
  ): Promise<void> {
    const { config, signal } = this.deps;
    const { webhookDelayMs, webhookJitterMs, webhookHttpsToHttp } = config();
    await sleep(webhookDelayMs + Math.random() * webhookJitterMs, signal);
    const url = deliveryUrl(target.url, webhookHttpsToHttp);
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length + 1; attempt++) {
      let status: number | null = null;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "User-Agent": "reve-emulator" },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
      } catch {
        if (signal.aborted) return;
      }
      this.record({ provider: job.provider, jobId: job.id, phase, copy, attempt, status, at: Date.now() });
      const retryable = status === null || status >= 500 || status === 408 || status === 429;
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (!retryable || delay === undefined) return;
      await sleep(delay, signal);
    }
  }

  private record(delivery: WebhookDelivery): void {
    this.recorded.push(delivery);
    if (this.recorded.length > MAX_RECORDED) this.recorded.splice(0, this.recorded.length - MAX_RECORDED);
    if (this.deps.config().printRequests) {
      const outcome = delivery.status ?? "unreachable";
      console.log(
        `webhook ${delivery.provider} ${delivery.jobId} ${delivery.phase} -> ${outcome} (copy ${delivery.copy}, attempt ${delivery.attempt})`,
      );
    }
  }
}
