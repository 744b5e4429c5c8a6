import "server-only";

import { Prisma } from "@/server/db/generated/client";
import { logUnexpected } from "@/server/log";

import type { LifecycleDeps } from "./deps";

/**
 * Keeps `owner`'s leases on `ids` alive while it works on them (a slow provider call, a download),
 * renewing them four times a lease. The lease itself stays short, so the jobs of a process that
 * died are free again within one lease.
 */
export function holdLeases(deps: LifecycleDeps, owner: string, ids: string[]): { stop(): Promise<void> } {
  let renewing: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    renewing ??= deps.db.$executeRaw`
      UPDATE "Generation"
      SET "leaseExpiresAt" = now() + make_interval(secs => ${deps.config.leaseMs / 1000})
      WHERE "id" IN (${Prisma.join(ids)}) AND "leaseOwner" = ${owner}`
      .catch((error: unknown) => logUnexpected(error, "renewing leases"))
      .finally(() => (renewing = undefined));
  }, deps.config.leaseMs / 4);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
