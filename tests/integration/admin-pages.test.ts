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
  });
});
