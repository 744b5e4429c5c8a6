import "server-only";

import { z } from "zod";

import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from "@/lib/domain";
import type { PrismaClient } from "@/server/db/generated/client";
import { getDb } from "@/server/db/client";
import { getProviderRegistry, type ProviderRegistry } from "@/server/providers/registry";
import { autoOrder, loadResellerSwitches } from "@/server/providers/switches";

import { writeAudit } from "./audit";

/** Health figures look back this far. */
export const HEALTH_WINDOW_MS = 60 * 60_000;

export const resellerField = z.enum(PROVIDER_IDS, {
  error: `--reseller must be one of ${PROVIDER_IDS.join(", ")}`,
});
export const priorityField = z
  .union([z.literal("none"), z.literal(""), z.coerce.number()])
  .transform((v) => (v === "none" || v === "" ? null : v))
  .pipe(
    z
      .number()
      .int("--priority must be a whole number")
      .min(1, "--priority must be between 1 and 99")
      .max(99, "--priority must be between 1 and 99")
      .nullable(),
  );

type Db = Pick<PrismaClient, "$transaction" | "resellerSetting">;

/** Switches a reseller on or off for every instance, with an audit row in the same transaction. */
export async function setResellerEnabled(
  db: Db,
  operator: string,
  provider: ProviderId,
  enabled: boolean,
  reason?: string,
) {
  return db.$transaction(async (tx) => {
    const before = await tx.resellerSetting.findUnique({ where: { provider } });
    const after = await tx.resellerSetting.upsert({
      where: { provider },
      create: { provider, enabled, updatedBy: operator },
      update: { enabled, updatedBy: operator },
    });
    await writeAudit(tx, {
      actor: operator,
      action: enabled ? "reseller_enable" : "reseller_disable",
      before: { reseller: provider, enabled: before?.enabled ?? true },
      after: { reseller: provider, enabled: after.enabled },
      reason,
    });
    return { reseller: provider, enabled: after.enabled, priority: after.priority };
  });
}

/** Sets (or, with null, clears) a reseller's place in Auto's order, audited. */
export async function setResellerPriority(
  db: Db,
  operator: string,
  provider: ProviderId,
  priority: number | null,
  reason?: string,
) {
  return db.$transaction(async (tx) => {
    const before = await tx.resellerSetting.findUnique({ where: { provider } });
    const after = await tx.resellerSetting.upsert({
      where: { provider },
      create: { provider, priority, updatedBy: operator },
      update: { priority, updatedBy: operator },
    });
    await writeAudit(tx, {
      actor: operator,
      action: "reseller_priority",
      before: { reseller: provider, priority: before?.priority ?? null },
      after: { reseller: provider, priority: after.priority },
      reason,
    });
    return { reseller: provider, enabled: after.enabled, priority: after.priority };
  });
}

export interface ResellerHealth {
  id: ProviderId;
  label: string;
  /** Set up in the environment (key, base URL, not turned off there). */
  configured: boolean;
  /** Not switched off by an operator. */
  switchedOn: boolean;
  priority: number | null;
  /** 1-based place in Auto's order, as the stored switches give it. */
  autoPlace: number;
  /** The circuit breaker of the instance that answers: Auto tries the reseller last for now. */
  circuitOpen: boolean;
  recent: { succeeded: number; failed: number; successRate: number | null; p50Seconds: number | null };
  lastError: { code: string | null; message: string | null; at: Date } | null;
  /** Requests this minute against the outbound limit, where one is configured. */
  callsThisMinute: { used: number; limit: number } | null;
}

interface RecentRow {
  provider: string;
  succeeded: bigint;
  failed: bigint;
  p50: number | null;
}

/** Every reseller's switches and health, for /admin/resellers and `reseller list`. */
export async function listResellers(
  db: PrismaClient,
  registry: ProviderRegistry,
  now = new Date(),
): Promise<ResellerHealth[]> {
  const since = new Date(now.getTime() - HEALTH_WINDOW_MS);
  const [switches, settings, recent, limits, lastErrors] = await Promise.all([
    loadResellerSwitches(db),
    db.resellerSetting.findMany(),
    db.$queryRaw<RecentRow[]>`
      SELECT "provider",
        count(*) FILTER (WHERE "status" = 'succeeded') AS "succeeded",
        count(*) FILTER (WHERE "status" = 'failed') AS "failed",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt"))
          FILTER (WHERE "status" = 'succeeded' AND "completedAt" IS NOT NULL) AS "p50"
      FROM "Generation"
      WHERE "createdAt" >= ${since} AND "provider" IS NOT NULL
      GROUP BY "provider"`,
    db.rateLimiterFlexible.findMany({
      where: { key: { in: PROVIDER_IDS.map((id) => `outbound:${id}`) } },
    }),
    Promise.all(
      PROVIDER_IDS.map((id) =>
        db.generation.findFirst({
          where: { provider: id, status: "failed", createdAt: { gte: since } },
          orderBy: { createdAt: "desc" },
          select: { errorCode: true, errorMessage: true, updatedAt: true },
        }),
      ),
    ),
  ]);
  const order = autoOrder(registry.config.priority, switches);
  return PROVIDER_IDS.map((id, i) => {
    const row = recent.find((r) => r.provider === id);
    const succeeded = Number(row?.succeeded ?? 0);
    const failed = Number(row?.failed ?? 0);
    const limit = registry.config[id].requestsPerMinute;
    const counted = limits.find((l) => l.key === `outbound:${id}`);
    const used = counted && (counted.expire === null || counted.expire > now) ? counted.points : 0;
    const lastError = lastErrors[i];
    return {
      id,
      label: PROVIDER_LABELS[id],
      configured: registry.config[id].enabled,
      switchedOn: !switches.disabled.has(id),
      priority: settings.find((s) => s.provider === id)?.priority ?? null,
      autoPlace: order.indexOf(id) + 1,
      circuitOpen: registry.circuitOpen(id),
      recent: {
        succeeded,
        failed,
        successRate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
        p50Seconds: row?.p50 === null || row?.p50 === undefined ? null : Number(row.p50),
      },
      lastError: lastError
        ? { code: lastError.errorCode, message: lastError.errorMessage, at: lastError.updatedAt }
        : null,
      callsThisMinute: limit ? { used, limit } : null,
    };
  });
}

/** The resellers as this instance sees them: the app's database and registry. */
export const resellersForAdmin = () => listResellers(getDb(), getProviderRegistry());
