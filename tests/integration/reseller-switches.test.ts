import { describe, expect, it } from "vitest";

import { setResellerEnabled, setResellerPriority } from "@/server/admin/resellers";
import { getBalance } from "@/server/credits/ledger";
import type { LifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";
import { SWITCHES_TTL_MS } from "@/server/providers/switches";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, waitForTerminal } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

// An operator switches a reseller off (or moves it in Auto's order) on one instance; another
// instance on the same database routes by the change once its cached switches expire. The clock
// the registries read their switches by is explicit: "5 s later" is a step of the clock.

describe.each(DB_KINDS)("reseller switches across two instances on %s", (kind) => {
  it("Auto routes around a reseller disabled on another instance within 5 s, and back after it is enabled", async () => {
    let clock = 1_000_000;
    const h = await createLifecycleHarness(kind, { switchesClock: () => clock });
    try {
      const instanceA = h.deps;
      const instanceB = h.restart();
      const user = await makeUser(h.t.db, 10);
      const submitOn = async (deps: LifecycleDeps, provider: "auto" | "apiframe" = "auto") => {
        const { generationId } = await submitGeneration(deps, {
          userId: user.id,
          kind: "create",
          prompt: "a lighthouse at dusk",
          provider,
        });
        return waitForTerminal(deps, generationId);
      };

      // Before: Auto on B sends a create to Apiframe first (PROVIDER_PRIORITY's default order).
      const before = await submitOn(instanceB);
      expect(before).toMatchObject({ status: "succeeded", provider: "apiframe" });

      // On A, an operator disables Apiframe (the same function the admin page and CLI run).
      await setResellerEnabled(h.t.db, "admin-on-a", "apiframe", false, "Upstream outage");
      clock += 5_000;

      const routedAround = await submitOn(instanceB);
      expect(routedAround.status).toBe("succeeded");
      expect(routedAround.attemptedProviders).not.toContain("apiframe");
      expect(routedAround.provider).not.toBe("apiframe");
      // Asked for by name, it is refused before anything is held.
      const credits = await getBalance(h.t.db, user.id);
      await expect(submitOn(instanceB, "apiframe")).rejects.toThrow(/switched off/);
      expect(await getBalance(h.t.db, user.id)).toBe(credits);
      // A honours it too.
      await instanceA.registry.refreshSwitches();
      expect(instanceA.registry.candidates("create", { images: 0 }, "auto").map((p) => p.id)).not.toContain(
        "apiframe",
      );

      await setResellerEnabled(h.t.db, "admin-on-a", "apiframe", true);
      clock += 5_000;
      expect(await submitOn(instanceB)).toMatchObject({ status: "succeeded", provider: "apiframe" });

      // The audit log says who switched what, before and after.
      const audit = await h.t.db.auditLog.findMany({ orderBy: { createdAt: "asc" } });
      expect(audit.map((r) => [r.actor, r.action, r.before, r.after, r.reason])).toEqual([
        [
          "admin-on-a",
          "reseller_disable",
          { reseller: "apiframe", enabled: true },
          { reseller: "apiframe", enabled: false },
          "Upstream outage",
        ],
        [
          "admin-on-a",
          "reseller_enable",
          { reseller: "apiframe", enabled: false },
          { reseller: "apiframe", enabled: true },
          null,
        ],
      ]);
      await assertLedgerConserved(h.t.db);
    } finally {
      await h.close();
    }
  });

  it("a priority set on one instance reorders Auto on the other once its cache expires", async () => {
    let clock = 1_000_000;
    const h = await createLifecycleHarness(kind, { switchesClock: () => clock });
    try {
      const instanceB = h.restart();
      const autoOrder = async () => {
        await instanceB.registry.refreshSwitches();
        return instanceB.registry.candidates("create", { images: 0 }, "auto").map((p) => p.id);
      };
      expect((await autoOrder())[0]).toBe("apiframe");

      await setResellerPriority(h.t.db, "admin-on-a", "reveart", 1);
      await setResellerPriority(h.t.db, "admin-on-a", "reve2img", 2);
      // Within the cache's life B may still use what it read; past it, it must not.
      clock += SWITCHES_TTL_MS;
      expect(await autoOrder()).toEqual(["reveart", "reve2img", "apiframe"]);

      await setResellerPriority(h.t.db, "admin-on-a", "reveart", null);
      clock += SWITCHES_TTL_MS;
      expect(await autoOrder()).toEqual(["reve2img", "apiframe", "reveart"]);
      expect(await h.t.db.auditLog.count({ where: { action: "reseller_priority" } })).toBe(3);
    } finally {
      await h.close();
    }
  });
});
