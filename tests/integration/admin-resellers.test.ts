import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { outboundLimiterFor } from "@/server/providers/registry";

import { installAppDb, makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { DB_KINDS, type TestDb } from "../helpers/test-db";
import { installLifecycle } from "../security/support/studio";
import { tripwireFetch } from "../security/support/tripwire";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

// /admin/resellers: each reseller's health from the database and this instance, and its switches
// (through the same command path as the CLI), with clear refusals for bad input.

describe.each(DB_KINDS)("the resellers page and its actions on %s", (kind) => {
  let t: TestDb;
  const tripwire = tripwireFetch();

  beforeAll(async () => {
    t = await installAppDb(kind);
    installLifecycle(t.db, {
      registry: { fetch: tripwire.fetch },
      env: { REVEART_REQUESTS_PER_MINUTE: "10" },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("shows success rate, median time to result, last error, calls against the limit and the circuit", async () => {
    const { listResellers } = await import("@/server/admin/resellers");
    const { getLifecycleDeps } = await import("@/server/generations/deps");
    const registry = getLifecycleDeps().registry;
    const user = await makeUser(t.db, 0);
    const now = new Date();
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const job = (provider: string, status: "succeeded" | "failed", minutesAgo: number, seconds: number) => ({
      userId: user.id,
      kind: "create" as const,
      prompt: "p",
      cost: 1,
      provider,
      status,
      createdAt: at(minutesAgo),
      completedAt: new Date(at(minutesAgo).getTime() + seconds * 1000),
      deadlineAt: now,
      ...(status === "failed"
        ? { errorCode: "provider_error", errorMessage: `failed after ${seconds} s` }
        : {}),
    });
    await t.db.generation.createMany({
      data: [
        job("reve2img", "succeeded", 10, 4),
        job("reve2img", "succeeded", 20, 6),
        job("reve2img", "succeeded", 30, 20),
        job("reve2img", "failed", 40, 1),
        job("reve2img", "failed", 5, 2),
        // Older than the hour the page covers.
        job("reve2img", "failed", 90, 3),
      ],
    });
    // Three outbound calls to reve-art this minute, counted where every instance counts them.
    const limiter = outboundLimiterFor(registry.config, t.db);
    for (let i = 0; i < 3; i++) await limiter.acquire("reveart");
    registry.markRefused("apiframe");

    const rows = await listResellers(t.db, registry, now);
    const reve2img = rows.find((r) => r.id === "reve2img")!;
    expect(reve2img.recent).toEqual({ succeeded: 3, failed: 2, successRate: 0.6, p50Seconds: 6 });
    expect(reve2img.lastError).toMatchObject({ code: "provider_error", message: "failed after 2 s" });
    expect(rows.find((r) => r.id === "pixazo")!.recent.successRate).toBeNull();
    expect(rows.find((r) => r.id === "apiframe")!.circuitOpen).toBe(true);
    expect(rows.find((r) => r.id === "reve2img")!.circuitOpen).toBe(false);
    expect(rows.find((r) => r.id === "reveart")!.callsThisMinute).toEqual({ used: 3, limit: 10 });
    expect(rows.find((r) => r.id === "reve2img")!.callsThisMinute).toBeNull();
    expect(rows.every((r) => r.switchedOn && r.configured)).toBe(true);
  });

  it("an admin switches a reseller off and moves another first; bad input is refused and changes nothing", async () => {
    const { adminSwitchReseller } = await import("@/server/actions/admin-switch-reseller");
    const { adminSetResellerPriority } = await import("@/server/actions/admin-set-reseller-priority");
    const { resellersForAdmin } = await import("@/server/admin/resellers");
    const admin = await t.db.user.create({
      data: { email: `admin-${crypto.randomUUID()}@example.test`, role: "admin" },
    });
    signInAs(admin);

    const refusals: [unknown, RegExp][] = [
      [
        await adminSwitchReseller({ reseller: "midjourney", enabled: "off" } as never),
        /--reseller must be one of/,
      ],
      [await adminSwitchReseller({ reseller: "apiframe", enabled: "maybe" } as never), /on or off/],
      [await adminSwitchReseller({ enabled: "off" } as never), /--reseller must be one of/],
      [await adminSetResellerPriority({ reseller: "reveart", priority: "0" } as never), /between 1 and 99/],
      [await adminSetResellerPriority({ reseller: "reveart", priority: "100" } as never), /between 1 and 99/],
      [await adminSetResellerPriority({ reseller: "reveart", priority: "1.5" } as never), /whole number/],
      [await adminSetResellerPriority({ reseller: "reveart", priority: "first" } as never), /./],
      [
        await adminSetResellerPriority({
          reseller: "reveart",
          priority: "1",
          reason: "x".repeat(201),
        } as never),
        /./,
      ],
    ];
    for (const [result, message] of refusals) {
      expect(result).toMatchObject({
        ok: false,
        error: { code: "invalid_input", message: expect.stringMatching(message) },
      });
    }
    expect(await t.db.resellerSetting.count()).toBe(0);
    expect(await t.db.auditLog.count({ where: { action: { startsWith: "reseller_" } } })).toBe(0);

    expect(
      await adminSwitchReseller({ reseller: "apiframe", enabled: "off", reason: "outage" } as never),
    ).toMatchObject({
      ok: true,
      data: { reseller: "apiframe", enabled: false },
    });
    expect(await adminSetResellerPriority({ reseller: "reveart", priority: "1" } as never)).toMatchObject({
      ok: true,
      data: { reseller: "reveart", priority: 1 },
    });
    const rows = await resellersForAdmin();
    expect(rows.find((r) => r.id === "apiframe")).toMatchObject({ switchedOn: false });
    expect(rows.find((r) => r.id === "reveart")).toMatchObject({ priority: 1, autoPlace: 1 });
    const audit = await t.db.auditLog.findMany({
      where: { action: { startsWith: "reseller_" } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((r) => [r.actor, r.action, r.reason])).toEqual([
      [admin.id, "reseller_disable", "outage"],
      [admin.id, "reseller_priority", null],
    ]);
    // An empty priority clears it: the reseller goes back to its place from PROVIDER_PRIORITY.
    expect(await adminSetResellerPriority({ reseller: "reveart", priority: "" } as never)).toMatchObject({
      ok: true,
      data: { priority: null },
    });
    expect(tripwire.calls).toEqual([]);
  });

  it("the instance where a reseller is switched routes by the switch from its next submit", async () => {
    const { adminSwitchReseller } = await import("@/server/actions/admin-switch-reseller");
    const { getProviderRegistry } = await import("@/server/providers/registry");
    const admin = await t.db.user.create({
      data: { email: `admin-${crypto.randomUUID()}@example.test`, role: "admin" },
    });
    signInAs(admin);
    // The process's own registry, which its submits route by; each look reads the switches as a
    // submit does, and is well within the 2 s that other instances may keep what they read.
    const registry = getProviderRegistry();
    const autoCreate = async () => {
      await registry.refreshSwitches();
      return registry.candidates("create", { images: 0 }, "auto").map((p) => p.id);
    };
    const turn = async (enabled: "on" | "off") =>
      expect(await adminSwitchReseller({ reseller: "apiframe", enabled } as never)).toMatchObject({
        ok: true,
      });

    await turn("on");
    expect(await autoCreate()).toContain("apiframe");
    await turn("off");
    expect(await autoCreate()).not.toContain("apiframe");
    await turn("on");
    expect(await autoCreate()).toContain("apiframe");
  });
});
