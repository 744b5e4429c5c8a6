import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";

import type { ProviderId } from "@/lib/domain";
import { redact } from "@/server/redact";

// The raw answers a reseller gave during one piece of work (a submit, a poll, a callback), kept so
// that an operator can see what it really said. Keys, callback tokens and media signatures are
// scrubbed and each body is capped before it leaves the adapter.

export const MAX_ANSWER_BYTES = 8 * 1024;

export interface RawAnswer {
  provider: ProviderId;
  operation: "submit" | "status" | "callback";
  httpStatus?: number;
  body: string;
}

// One store per process, not per module copy: the built server bundles this module once per layer
// (instrumentation, route handlers, server actions), while the provider registry that records into
// it is a process-wide singleton built by whichever layer asked first. A store per copy would leave
// a server action's submit collecting into one store while the provider recorded into another.
const globalForAnswers = globalThis as unknown as { reveAnswerCollector?: AsyncLocalStorage<RawAnswer[]> };
const collector = (globalForAnswers.reveAnswerCollector ??= new AsyncLocalStorage<RawAnswer[]>());

/** Scrubs and caps a body for keeping. */
export function keepable(body: string): string {
  const scrubbed = redact(body);
  if (Buffer.byteLength(scrubbed) <= MAX_ANSWER_BYTES) return scrubbed;
  return `${Buffer.from(scrubbed)
    .subarray(0, MAX_ANSWER_BYTES - 16)
    .toString("utf8")}…[truncated]`;
}

/** Adds an answer to the work in progress, if someone is collecting. */
export function recordAnswer(answer: RawAnswer): void {
  collector.getStore()?.push({ ...answer, body: keepable(answer.body) });
}

/** Runs `work`, collecting every raw answer it receives, whether it succeeds or throws. */
export async function collectAnswers<T>(
  work: () => Promise<T>,
): Promise<{ answers: RawAnswer[]; result?: T; error?: unknown; ok: boolean }> {
  const answers: RawAnswer[] = [];
  try {
    const result = await collector.run(answers, work);
    return { answers, result, ok: true };
  } catch (error) {
    return { answers, error, ok: false };
  }
}
