import "server-only";

import { z } from "zod";

import { GENERATION_STATUSES, PROVIDER_IDS } from "@/lib/domain";
import { decodeCursor, encodeCursor } from "@/lib/gallery-filter";
import { idSchema } from "@/lib/ids";
import { getDb } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { answersOf } from "@/server/generations/answers";
import { eventsOf } from "@/server/generations/events";

// The operator's view of jobs: a filtered list, newest first, and one job's whole story.

const blankIsUnset = (value: unknown) => (value === "" || value === null ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());
const instant = (flag: string) =>
  z
    .string()
    .trim()
    .refine(
      (v) => !Number.isNaN(Date.parse(v)),
      `${flag} must be a date like 2026-12-01 or 2026-12-01T10:00Z`,
    )
    .transform((v) => new Date(v));

/** The job list's filters, as the page's query string and the CLI's options give them. */
export const jobFilterSchema = z.object({
  state: optional(
    z.enum(GENERATION_STATUSES, { error: `--state must be one of ${GENERATION_STATUSES.join(", ")}` }),
  ),
  reseller: optional(z.enum(PROVIDER_IDS, { error: `--reseller must be one of ${PROVIDER_IDS.join(", ")}` })),
  /** An account's id or its email. */
  user: optional(z.string().trim().max(200)),
  since: optional(instant("--since")),
  until: optional(instant("--until")),
  error: optional(
    z
      .string()
      .trim()
      .regex(/^[a-z_]{1,40}$/, "--error must be an error code like provider_error"),
  ),
  cursor: optional(z.string().refine((c) => decodeCursor(c) !== null, "The page cursor is not valid.")),
  take: optional(z.coerce.number().int().min(1).max(100, "--take is at most 100")),
});
export type JobFilter = z.output<typeof jobFilterSchema>;

const listSelect = {
  id: true,
  kind: true,
  status: true,
  provider: true,
  errorCode: true,
  cost: true,
  createdAt: true,
  completedAt: true,
  deadlineAt: true,
  deletedAt: true,
  userId: true,
  user: { select: { email: true } },
} as const;

/**
 * Jobs matching every given filter, newest first, keyset-paginated on (createdAt, id) like the
 * gallery: each filter has an index that leads with it and ends with createdAt.
 */
export async function listJobs(filter: JobFilter) {
  const db = getDb();
  const take = filter.take ?? 50;
  const where: Prisma.GenerationWhereInput = {};
  if (filter.state) where.status = filter.state;
  if (filter.reseller) where.provider = filter.reseller;
  if (filter.error) where.errorCode = filter.error;
  if (filter.user) {
    const owner = await db.user.findFirst({
      where: { OR: [{ id: filter.user }, { email: filter.user.toLowerCase() }] },
      select: { id: true },
    });
    if (!owner) return { items: [], nextCursor: null };
    where.userId = owner.id;
  }
  const createdAt: Prisma.DateTimeFilter = {};
  if (filter.since) createdAt.gte = filter.since;
  if (filter.until) createdAt.lt = filter.until;
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;
  if (cursor) {
    // After (createdAt, id) in newest-first order, written as a bound the index seeks (see the gallery).
    createdAt.lte = cursor.createdAt;
    where.NOT = { createdAt: cursor.createdAt, id: { gte: cursor.id } };
  }
  if (Object.keys(createdAt).length > 0) where.createdAt = createdAt;
  const rows = await db.generation.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: listSelect,
  });
  const items = rows.slice(0, take);
  const last = items[items.length - 1];
  return {
    items: items.map(({ user, ...job }) => ({ ...job, email: user.email })),
    nextCursor: rows.length > take && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** One job as an operator sees it: its state, timeline, last raw answers and ledger rows. */
export async function getJobForAdmin(id: string) {
  if (!idSchema.safeParse(id).success) return null;
  const db = getDb();
  const job = await db.generation.findUnique({
    where: { id },
    select: {
      ...listSelect,
      requestedProvider: true,
      providerJobId: true,
      attemptedProviders: true,
      errorMessage: true,
      submittedAt: true,
      nextPollAt: true,
      lastPolledAt: true,
      pollAttempts: true,
      mayHaveBilledBy: true,
    },
  });
  if (!job) return null;
  const [events, answers, ledger] = await Promise.all([
    eventsOf(db, id),
    answersOf({ db }, id),
    db.creditLedgerEntry.findMany({
      where: { generationId: id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, amount: true, balanceAfter: true, reason: true, note: true, createdAt: true },
    }),
  ]);
  const { user, ...rest } = job;
  // Whether an operator may refund it as stuck (the sweeper would, at its next round).
  const pastDeadline = rest.deadlineAt.getTime() < Date.now();
  return { job: { ...rest, email: user.email, pastDeadline }, events, answers, ledger };
}
