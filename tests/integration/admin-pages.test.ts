import { renderToStaticMarkup } from "react-dom/server";
import type { ReactElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { installAppDb, makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { seedFinishedGeneration } from "../security/support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("admin pages on %s", (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await installAppDb(kind);
  });
  afterAll(async () => {
    signOutAll();
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  it("the overview counts jobs, credits and sign-ups in the chosen window only", async () => {
    const { getOverview } = await import("@/server/admin/overview");
    const now = new Date();
    const user = await makeUser(t.db, 30);
    await seedFinishedGeneration(t.db, user.id, "recent");
    const old = await makeUser(t.db, 0);
    await t.db.user.update({
      where: { id: old.id },
      data: { createdAt: new Date(now.getTime() - 3 * 86_400_000) },
    });
    const oldJob = await seedFinishedGeneration(t.db, old.id, "old");
    await t.db.generation.update({
      where: { id: oldJob.generation.id },
      data: { createdAt: new Date(now.getTime() - 3 * 86_400_000) },
    });

    const day = await getOverview("24h", now);
    const week = await getOverview("7d", now);
    const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
    expect(total(day.jobsByState)).toBe(1);
    expect(total(week.jobsByState)).toBe(2);
    expect(day.jobsByState).toEqual([{ label: "succeeded", count: 1 }]);
    expect(total(day.signupsPerDay)).toBe(1);
    expect(total(week.signupsPerDay)).toBe(2);
    expect(day.credits.granted).toBe(30);
  });

  it("the overview gives p50 and p95 time to result, success rate and failovers per reseller, and the estimated spend", async () => {
    const { getOverview } = await import("@/server/admin/overview");
    const user = await makeUser(t.db, 0);
    // Jobs a hundred days ahead, so that no other test's jobs fall in this window.
    const base = Date.now() + 100 * 86_400_000;
    const job = (
      provider: string,
      status: "succeeded" | "failed",
      secondsToResult: number,
      tried = [provider],
    ) => ({
      userId: user.id,
      kind: "create" as const,
      prompt: "p",
      cost: 1,
      provider,
      status,
      attemptedProviders: tried,
      createdAt: new Date(base),
      completedAt: new Date(base + secondsToResult * 1000),
      deadlineAt: new Date(base + 600_000),
    });
    await t.db.generation.createMany({
      data: [
        // Pixazo: 10 successes taking 1..10 s, one failure.
        ...Array.from({ length: 10 }, (_, i) => job("pixazo", "succeeded", i + 1)),
        job("pixazo", "failed", 3),
        // reve2img: two successes, one of them a failover from Apiframe.
        job("reve2img", "succeeded", 4),
        job("reve2img", "succeeded", 8, ["apiframe", "reve2img"]),
      ],
    });
    const overview = await getOverview("24h", new Date(base + 3_600_000));
    const pixazo = overview.resellers.find((r) => r.label === "pixazo")!;
    // Read from buckets, within one bucket of the nearest-rank figure: of 1..10 s, the 5th (5 s)
    // and the 10th (10 s); of 4 s and 8 s, the first (4 s).
    const { bucketWidthAt } = await import("@/server/admin/overview-figures");
    const near = (seconds: number | null, exact: number) =>
      expect(Math.abs(seconds! - exact)).toBeLessThanOrEqual(bucketWidthAt(exact));
    expect(pixazo).toMatchObject({ total: 11, succeeded: 10, failed: 1, failovers: 0 });
    expect(pixazo.successRate).toBeCloseTo(10 / 11, 6);
    near(pixazo.p50Seconds, 5);
    near(pixazo.p95Seconds, 10);
    expect(pixazo.p50Seconds).toBeLessThan(pixazo.p95Seconds!);
    const reve2img = overview.resellers.find((r) => r.label === "reve2img")!;
    expect(reve2img).toMatchObject({ total: 2, succeeded: 2, failovers: 1, successRate: 1 });
    near(reve2img.p50Seconds, 4);
    // Pixazo's documented $0.06 a job by default; the others have no price until one is set.
    expect(overview.spend).toEqual([
      { id: "pixazo", label: "Pixazo", succeeded: 10, unitUsd: 0.06, usd: 0.6 },
      { id: "apiframe", label: "Apiframe", succeeded: 0, unitUsd: null, usd: null },
      { id: "reve2img", label: "reve2img", succeeded: 2, unitUsd: null, usd: null },
      { id: "reveart", label: "Reve Art", succeeded: 0, unitUsd: null, usd: null },
    ]);
  });

  it("an admin finds a user by email or id and sees balance, sign-up address, ledger and audit rows", async () => {
    const { runAdminCommand } = await import("@/server/admin/commands");
    const admin = await t.db.user.create({
      data: { email: `admin-${crypto.randomUUID()}@example.test`, role: "admin" },
    });
    const user = await makeUser(t.db, 12, `findme-${crypto.randomUUID()}@example.test`);
    await t.db.user.update({ where: { id: user.id }, data: { signupIp: "203.0.113.7" } });
    await runAdminCommand({ command: "suspend", email: user.email!, reason: "Abuse report 12" }, admin.id);

    const { searchUsers } = await import("@/server/admin/users");
    expect((await searchUsers(user.email!.slice(0, 12).toUpperCase())).map((u) => u.id)).toEqual([user.id]);
    expect((await searchUsers(user.id)).map((u) => u.id)).toEqual([user.id]);

    signInAs(admin);
    const Page = (await import("@/app/admin/users/[id]/page")).default;
    const html = renderToStaticMarkup(
      (await Page({ params: Promise.resolve({ id: user.id }) })) as ReactElement,
    );
    expect(html).toContain(user.email!);
    expect(html).toContain("203.0.113.7");
    expect(html).toContain("Abuse report 12");
    expect(html).toContain("Lift the suspension");
    expect(html).toContain(admin.id);

    const Audit = (await import("@/app/admin/audit/page")).default;
    const audit = renderToStaticMarkup((await Audit()) as ReactElement);
    expect(audit).toContain(`/admin/users/${user.id}`);
    expect(audit).toContain("Abuse report 12");

    const Overview = (await import("@/app/admin/page")).default;
    const overview = renderToStaticMarkup(
      (await Overview({ searchParams: Promise.resolve({ window: "7d" }) })) as ReactElement,
    );
    expect(overview).toContain("Jobs by state");
    expect(overview).toMatch(/<li>succeeded: \d+<\/li>/);
    expect(overview).toContain("Estimated reseller spend");
    expect(overview).toContain("not set");
    expect(overview).toContain("p95 time to result");
    expect(overview).toContain("within one bucket of the exact figure");
  });
});
