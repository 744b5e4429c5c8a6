import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as RedeemModule from "@/server/actions/redeem-voucher";
import type * as CommandsModule from "@/server/admin/commands";

import { installAppDb, makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));
const request = vi.hoisted(() => ({ ip: "203.0.113.9" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": request.ip }) }));

describe.each(DB_KINDS)("vouchers on %s", (kind) => {
  let t: TestDb;
  let redeem: typeof RedeemModule;
  let admin: typeof CommandsModule;
  let ipCounter = 0;

  beforeAll(async () => {
    t = await installAppDb(kind);
    redeem = await import("@/server/actions/redeem-voucher");
    admin = await import("@/server/admin/commands");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  async function newVoucher(credits: number, uses: number, expires?: string) {
    const made = await admin.runAdminCommand(
      { command: "voucher-create", credits, uses, ...(expires ? { expires } : {}) },
      "cli:test",
    );
    return made.code as string;
  }

  /** Redeems as `user` from an address of its own, so the per-IP limit stays out of the way. */
  async function redeemAs(user: { id: string }, code: string, ip = `198.51.100.${++ipCounter % 250}`) {
    request.ip = ip;
    signInAs(user);
    const form = new FormData();
    form.set("code", code);
    return redeem.redeemVoucherAction(null, form);
  }

  const balanceOf = async (userId: string) =>
    (await t.db.user.findUniqueOrThrow({ where: { id: userId } })).credits;

  it("gives its credits once per account, as a voucher ledger row, whatever the code's spacing or case", async () => {
    const code = await newVoucher(25, 10);
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const user = await makeUser(t.db, 0);
    const first = await redeemAs(user, ` ${code.toLowerCase().replaceAll("-", " ")} `);
    expect(first).toEqual({ ok: true, data: { credits: 25, balance: 25 } });
    const again = await redeemAs(user, code);
    expect(again).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "You have already redeemed this code." },
    });
    expect(await balanceOf(user.id)).toBe(25);
    const rows = await t.db.creditLedgerEntry.findMany({ where: { userId: user.id } });
    expect(rows).toEqual([expect.objectContaining({ reason: "voucher", amount: 25 })]);
    const voucher = await t.db.voucher.findFirstOrThrow({ where: { credits: 25 } });
    expect(voucher.uses).toBe(1);
    // Only its hash is stored.
    expect(JSON.stringify(voucher)).not.toContain(code.replaceAll("-", ""));
  });

  it("tells the account that used a single-use code's only use that it already redeemed it", async () => {
    const code = await newVoucher(7, 1);
    const user = await makeUser(t.db, 0);
    expect(await redeemAs(user, code)).toMatchObject({ ok: true });
    expect(await redeemAs(user, code)).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "You have already redeemed this code." },
    });
    // Anyone else learns only that it is not valid.
    expect(await redeemAs(await makeUser(t.db, 0), code)).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: "That code is not valid. Check it and try again." },
    });
    expect(await balanceOf(user.id)).toBe(7);
  });

  it("is never used past its limit, even when many redeem at once", async () => {
    const code = await newVoucher(10, 5);
    const users = await Promise.all(Array.from({ length: 12 }, () => makeUser(t.db, 0)));
    const results = await Promise.all(
      users.map(async (user, i) => {
        const form = new FormData();
        form.set("code", code);
        // The mocks are per module, so each call signs in right before it runs.
        request.ip = `192.0.2.${i + 1}`;
        signInAs(user);
        return redeem.redeemVoucherAction(null, form);
      }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const balances = await Promise.all(users.map((u) => balanceOf(u.id)));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(50);
    expect((await t.db.voucher.findFirstOrThrow({ where: { credits: 10, maxUses: 5 } })).uses).toBe(5);
  });

  it("answers unknown, expired and used-up codes alike, so guesses learn nothing", async () => {
    const usedUp = await newVoucher(3, 1);
    await redeemAs(await makeUser(t.db, 0), usedUp);
    const expired = await newVoucher(4, 5, "2099-01-01");
    await t.db.voucher.updateMany({
      where: { credits: 4 },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const user = await makeUser(t.db, 0);
    const answers = [];
    for (const code of ["ABCD-EFGH-JKMN", usedUp, expired, "short"]) answers.push(await redeemAs(user, code));
    for (const answer of answers) {
      expect(answer).toEqual({
        ok: false,
        error: { code: "invalid_input", message: "That code is not valid. Check it and try again." },
      });
    }
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("limits tries per user, and per IP across users", async () => {
    const user = await makeUser(t.db, 0);
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await redeemAs(user, "ZZZZ-ZZZZ-ZZZZ"));
    expect(answers.slice(0, 10).every((a) => !a.ok && a.error.code === "invalid_input")).toBe(true);
    expect(answers[10]).toMatchObject({ ok: false, error: { code: "rate_limited" } });

    const fromOneIp = [];
    for (let i = 0; i < 31; i++)
      fromOneIp.push(await redeemAs(await makeUser(t.db, 0), "ZZZZ-ZZZZ-ZZZZ", "203.0.113.77"));
    expect(fromOneIp.slice(0, 30).every((a) => !a.ok && a.error.code === "invalid_input")).toBe(true);
    expect(fromOneIp[30]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("refuses a signed-out caller", async () => {
    signInAs(null);
    const form = new FormData();
    form.set("code", "ABCD-EFGH-JKMN");
    expect(await redeem.redeemVoucherAction(null, form)).toMatchObject({
      ok: false,
      error: { code: "unauthorized" },
    });
  });
});
