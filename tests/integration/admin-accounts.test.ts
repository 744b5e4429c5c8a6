import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { isAdminAccount } from "@/server/admin/roles";

import { installAppDb, makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { installLifecycle } from "../security/support/studio";
import { tripwireFetch } from "../security/support/tripwire";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe("who is an admin", () => {
  const config = { adminEmails: ["ops@example.test"], emailVerification: "off" as const };
  const row = (email: string | null, role: "user" | "admin" = "user", verified = false) => ({
    email,
    role,
    emailVerified: verified ? new Date() : null,
  });

  it("is an account with the admin role or an email in ADMIN_EMAILS", () => {
    expect(isAdminAccount(row("someone@example.test", "admin"), config)).toBe(true);
    expect(isAdminAccount(row("OPS@example.test"), config)).toBe(true);
    expect(isAdminAccount(row("someone@example.test"), config)).toBe(false);
    expect(isAdminAccount(row(null), config)).toBe(false);
  });

  it("needs the ADMIN_EMAILS address verified where email verification is required", () => {
    const required = { ...config, emailVerification: "required" as const };
    expect(isAdminAccount(row("ops@example.test"), required)).toBe(false);
    expect(isAdminAccount(row("ops@example.test", "user", true), required)).toBe(true);
  });
});

describe.each(DB_KINDS)("operator account commands on %s", (kind) => {
  let t: TestDb;
  const tripwire = tripwireFetch();

  beforeAll(async () => {
    t = await installAppDb(kind);
    installLifecycle(t.db, { registry: { fetch: tripwire.fetch } });
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  const commands = () => import("@/server/admin/commands");
  const auditOf = (userId: string) =>
    t.db.auditLog.findMany({ where: { targetUserId: userId }, orderBy: { createdAt: "asc" } });

  it("promote and demote change the role, and each writes an audit row with before and after", async () => {
    const { runAdminCommand } = await commands();
    const { isAdmin } = await import("@/server/admin/roles");
    const user = await makeUser(t.db, 0);

    expect(await isAdmin(user)).toBe(false);
    await runAdminCommand({ command: "promote", email: user.email!, reason: "new operator" }, "cli:ops");
    expect(await isAdmin(user)).toBe(true);
    await runAdminCommand({ command: "demote", email: user.email! }, "cli:ops");
    expect(await isAdmin(user)).toBe(false);

    const rows = await auditOf(user.id);
    expect(rows.map((r) => [r.actor, r.action, r.before, r.after, r.reason])).toEqual([
      ["cli:ops", "promote", { role: "user" }, { role: "admin" }, "new operator"],
      ["cli:ops", "demote", { role: "admin" }, { role: "user" }, null],
    ]);
  });

  it("an address in ADMIN_EMAILS is an admin, once verified where verification is required", async () => {
    const { env } = await import("@/server/env");
    const { isAdmin } = await import("@/server/admin/roles");
    const user = await makeUser(t.db, 0, `Ops-${crypto.randomUUID()}@example.test`);
    const saved = { emails: env.ADMIN_EMAILS, verification: env.EMAIL_VERIFICATION };
    try {
      expect(await isAdmin(user)).toBe(false);
      env.ADMIN_EMAILS = [user.email!.toLowerCase()];
      expect(await isAdmin(user)).toBe(true);
      env.EMAIL_VERIFICATION = "required";
      expect(await isAdmin(user)).toBe(false);
      await t.db.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
      expect(await isAdmin(user)).toBe(true);
    } finally {
      env.ADMIN_EMAILS = saved.emails;
      env.EMAIL_VERIFICATION = saved.verification;
    }
  });

  it("grant and revoke each write a ledger row and an audit row", async () => {
    const { runAdminCommand } = await commands();
    const user = await makeUser(t.db, 10);
    await runAdminCommand(
      { command: "grant", email: user.email!, credits: 5, reason: "lost job" },
      "cli:ops",
    );
    const revoked = await runAdminCommand(
      { command: "revoke", email: user.email!, credits: 100, reason: "chargeback" },
      "cli:ops",
    );
    expect(revoked).toMatchObject({ revoked: 15, balance: 0 });
    const rows = await auditOf(user.id);
    expect(rows.map((r) => [r.action, r.before, r.after, r.reason])).toEqual([
      ["grant", { credits: 10 }, { credits: 15, granted: 5 }, "lost job"],
      ["revoke", { credits: 15 }, { credits: 0, revoked: 15, asked: 100 }, "chargeback"],
    ]);
  });

  it("refuses an unknown email without writing anything", async () => {
    const { runAdminCommand } = await commands();
    const before = await t.db.auditLog.count();
    await expect(
      runAdminCommand({ command: "suspend", email: "nobody@example.test", reason: "spam" }, "cli:ops"),
    ).rejects.toThrow(/No account has the email nobody@example.test/);
    expect(await t.db.auditLog.count()).toBe(before);
  });

  it("keeps the audit log append-only: the database refuses updates and deletes", async () => {
    const { runAdminCommand } = await commands();
    const user = await makeUser(t.db, 0);
    await runAdminCommand({ command: "sign-out", email: user.email! }, "cli:ops");
    const [row] = await auditOf(user.id);
    await expect(t.db.auditLog.update({ where: { id: row!.id }, data: { reason: "x" } })).rejects.toThrow();
    await expect(t.db.auditLog.delete({ where: { id: row!.id } })).rejects.toThrow();
    expect(await auditOf(user.id)).toHaveLength(1);
  });

  it("sign-out ends every session: the session version goes up, audited", async () => {
    const { runAdminCommand } = await commands();
    const { currentSessionVersion } = await import("@/server/auth/session-version");
    const user = await makeUser(t.db, 0);
    const before = await currentSessionVersion(user.id);
    await runAdminCommand({ command: "sign-out", email: user.email!, reason: "stolen laptop" }, "cli:ops");
    expect(await currentSessionVersion(user.id)).toBe(before! + 1);
    const [row] = await auditOf(user.id);
    expect([row!.action, row!.before, row!.after]).toEqual([
      "sign_out",
      { sessionVersion: before },
      { sessionVersion: before! + 1 },
    ]);
  });

  it("a suspended user's submit is refused with the reason, nothing is held, and the ledger is unchanged", async () => {
    const { runAdminCommand } = await commands();
    const { createImage } = await import("@/server/actions/create-image");
    const user = await makeUser(t.db, 20);
    await runAdminCommand(
      { command: "suspend", email: user.email!, reason: "Chargebacks under review" },
      "cli:ops",
    );
    const ledgerBefore = await t.db.creditLedgerEntry.count({ where: { userId: user.id } });

    signInAs(user);
    const result = await createImage({ prompt: "a lighthouse at dusk" });
    // The forms read the same reason from the account summary, before anything is tried.
    const { GET: me } = await import("@/app/api/me/route");
    const summary = (await (await me(new Request("http://localhost/api/me"))).json()) as {
      suspended: string | null;
    };
    signOutAll();
    expect(summary.suspended).toMatch(/suspended: Chargebacks under review\./);

    expect(result).toEqual({
      ok: false,
      error: {
        code: "forbidden",
        message: expect.stringMatching(/suspended: Chargebacks under review\./),
        nothingCharged: true,
      },
    });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).credits).toBe(20);
    expect(await t.db.creditLedgerEntry.count({ where: { userId: user.id } })).toBe(ledgerBefore);
    expect(await t.db.generation.count({ where: { userId: user.id } })).toBe(0);
    expect(tripwire.calls).toEqual([]);

    await runAdminCommand({ command: "unsuspend", email: user.email! }, "cli:ops");
    const { getSuspension } = await import("@/server/account/suspension");
    expect(await getSuspension(t.db, user.id)).toBeNull();
    const rows = await auditOf(user.id);
    expect(rows.map((r) => [r.action, r.reason])).toEqual([
      ["suspend", "Chargebacks under review"],
      ["unsuspend", null],
    ]);
    expect(rows[0]!.after).toMatchObject({ suspendReason: "Chargebacks under review" });
  });

  it("the account export holds nothing of the audit log", async () => {
    const { runAdminCommand } = await commands();
    const { GET } = await import("@/app/api/account/export/route");
    const user = await makeUser(t.db, 5);
    const reason = `audit-only-${crypto.randomUUID()}`;
    await runAdminCommand({ command: "promote", email: user.email!, reason }, "cli:ops");
    await runAdminCommand({ command: "demote", email: user.email!, reason }, "cli:ops");
    await runAdminCommand({ command: "suspend", email: user.email!, reason }, "cli:ops");
    signInAs(user);
    const response = await GET(new Request("http://localhost/api/account/export"));
    signOutAll();
    expect(response.status).toBe(200);
    const { unzipSync, strFromU8 } = await import("fflate");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const text = Object.values(files)
      .map((data) => strFromU8(data))
      .join("\n");
    expect(text).not.toContain(reason);
    expect(text).not.toContain("cli:ops");
    expect(text).not.toMatch(/audit/i);
  });
});

describe.each(DB_KINDS)("admin actions on %s", (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await installAppDb(kind);
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  it("run the CLI's commands with the admin's id in the audit row; a non-admin gets not_found", async () => {
    const { adminGrantCredits } = await import("@/server/actions/admin-grant-credits");
    const { adminRevokeCredits } = await import("@/server/actions/admin-revoke-credits");
    const { adminSuspendUser } = await import("@/server/actions/admin-suspend-user");
    const { adminUnsuspendUser } = await import("@/server/actions/admin-unsuspend-user");
    const { adminSignOutUser } = await import("@/server/actions/admin-sign-out-user");
    const admin = await t.db.user.create({
      data: { email: `admin-${crypto.randomUUID()}@example.test`, role: "admin" },
    });
    const target = await makeUser(t.db, 3);
    const email = target.email!;

    signInAs(target);
    expect(await adminGrantCredits({ email, credits: 100, reason: "free money" })).toEqual({
      ok: false,
      error: { code: "not_found", message: "Not found." },
    });
    expect(await adminSuspendUser({ email, reason: "nope" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });

    signInAs(admin);
    expect(await adminGrantCredits({ email, credits: 7, reason: "lost job" })).toMatchObject({
      ok: true,
      data: { granted: 7, balance: 10 },
    });
    expect(await adminRevokeCredits({ email, credits: 2, reason: "duplicate grant" })).toMatchObject({
      ok: true,
      data: { revoked: 2, balance: 8 },
    });
    expect(await adminSuspendUser({ email, reason: "spam" })).toMatchObject({ ok: true });
    expect(await adminUnsuspendUser({ email })).toMatchObject({ ok: true });
    expect(await adminSignOutUser({ email })).toMatchObject({ ok: true });
    expect(await adminGrantCredits({ email, credits: 1, reason: "x" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input" },
    });
    expect(await adminSuspendUser({ email: "nobody@example.test", reason: "spam" })).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "No account has the email nobody@example.test." },
    });
    signOutAll();

    const rows = await t.db.auditLog.findMany({
      where: { targetUserId: target.id },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => [r.actor, r.action])).toEqual([
      [admin.id, "grant"],
      [admin.id, "revoke"],
      [admin.id, "suspend"],
      [admin.id, "unsuspend"],
      [admin.id, "sign_out"],
    ]);
    const notes = await t.db.creditLedgerEntry.findMany({
      where: { userId: target.id, idempotencyKey: { startsWith: "admin-" } },
    });
    expect(notes.map((n) => n.note).sort()).toEqual([
      `duplicate grant (by ${admin.id})`,
      `lost job (by ${admin.id})`,
    ]);
  });
});
