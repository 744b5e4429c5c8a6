import "server-only";

import type { Tx } from "@/server/credits/ledger";
import { logUnexpected } from "@/server/log";

// A job's timeline for operators (/admin/jobs/<id>): one small row per step the lifecycle already
// takes. A step repeated back to back (the same poll answer, again and again) bumps the latest
// row's count and time instead, so a ten-minute job keeps a handful of rows.

export type GenerationEventKind =
  | "submitted"
  | "accepted"
  | "failover"
  | "poll"
  | "webhook"
  | "succeeded"
  | "failed"
  | "refunded"
  | "operator_poll"
  | "operator_refund"
  | "operator_fail";

export interface GenerationEventInput {
  kind: GenerationEventKind;
  provider?: string | null;
  detail?: string | null;
}

/** Kinds whose back-to-back repeats are folded into one row. */
const COALESCED: ReadonlySet<GenerationEventKind> = new Set(["poll", "webhook"]);

const clip = (detail: string | null | undefined) => (detail ? detail.slice(0, 300) : null);

/**
 * Appends one event in the caller's transaction (the terminal steps: the event commits with the
 * state it records).
 */
export async function addEvent(tx: Tx, generationId: string, event: GenerationEventInput): Promise<void> {
  if (COALESCED.has(event.kind) && (await bumpLatest(tx, generationId, event))) return;
  await tx.generationEvent.create({
    data: {
      generationId,
      kind: event.kind,
      provider: event.provider ?? null,
      detail: clip(event.detail),
    },
  });
}

/**
 * Records an event outside any transaction (polls, webhooks, failovers). Best effort, like the
 * kept answers: an operator's aid never stops a job.
 */
export async function recordEvent(db: Tx, generationId: string, event: GenerationEventInput): Promise<void> {
  try {
    await addEvent(db, generationId, event);
  } catch (error) {
    logUnexpected(error, `recording an event of job ${generationId}`);
  }
}

/** Counts a repeat of the job's latest event on that row; false when the latest is another step. */
async function bumpLatest(tx: Tx, generationId: string, event: GenerationEventInput): Promise<boolean> {
  const bumped = await tx.$executeRaw`
    UPDATE "GenerationEvent" SET "count" = "count" + 1, "lastAt" = now()
    WHERE "id" = (
      SELECT "id" FROM "GenerationEvent" WHERE "generationId" = ${generationId}
      ORDER BY "id" DESC LIMIT 1
    )
      AND "kind" = ${event.kind}
      AND "provider" IS NOT DISTINCT FROM ${event.provider ?? null}
      AND "detail" IS NOT DISTINCT FROM ${clip(event.detail)}`;
  return bumped > 0;
}

/** A job's events, oldest first (a job keeps few rows; see above). */
export async function eventsOf(db: Tx, generationId: string) {
  const rows = await db.generationEvent.findMany({
    where: { generationId },
    orderBy: { id: "asc" },
    take: 500,
    select: {
      id: true,
      kind: true,
      provider: true,
      detail: true,
      count: true,
      createdAt: true,
      lastAt: true,
    },
  });
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}
