import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getBalance, grantCredits, holdForGeneration, refundGeneration } from "@/server/credits/ledger";

import type { TestDb } from "../helpers/test-db";
import { assertLedgerConserved, createTestDb, DB_KINDS } from "../helpers/test-db";

async function userWith(t: TestDb, credits: number) {
  const user = await t.db.user.create({ data: { email: `${crypto.randomUUID()}@example.test` } });
  if (credits > 0) {
    await grantCredits(t.db, { userId: user.id, amount: credits, idempotencyKey: `test-grant:${user.id}` });
  }
  return user;
}

// The submit path's transaction options: a hundred holds on ten pooled connections may queue for
// seconds on a busy machine, which is a wait, not a refusal.
async function generationFor(t: TestDb, userId: string, cost: number) {
  return t.db.$transaction(
    async (tx) => {
      const generation = await tx.generation.create({
        data: {
          userId,
          kind: "create",
          prompt: "a lighthouse",
          cost,
          deadlineAt: new Date(Date.now() + 600_000),
        },
      });
      await holdForGeneration(tx, { userId, generationId: generation.id, amount: cost });
      return generation;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

describe.each(DB_KINDS)("credit ledger on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  it("a hold writes the balance it left, and a second hold of one job is refused with nothing moved", async () => {
    const user = await userWith(t, 10);
    const generation = await generationFor(t, user.id, 3);
    const hold = await t.db.creditLedgerEntry.findUniqueOrThrow({
      where: { idempotencyKey: `hold:${generation.id}` },
    });
    expect({ amount: hold.amount, balanceAfter: hold.balanceAfter, reason: hold.reason }).toEqual({
      amount: -3,
      balanceAfter: 7,
      reason: "hold",
    });
    const again = t.db.$transaction((tx) =>
      holdForGeneration(tx, { userId: user.id, generationId: generation.id, amount: 3 }),
    );
    await expect(again).rejects.toMatchObject({ code: "conflict" });
    expect(await getBalance(t.db, user.id)).toBe(7);
    expect(await t.db.creditLedgerEntry.count({ where: { generationId: generation.id } })).toBe(1);
  });

  it("100 concurrent holds of 1 on a balance of 50 give exactly 50 successes and a balance of 0", async () => {
    const user = await userWith(t, 50);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => generationFor(t, user.id, 1)));
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter(
      (r) => r.status === "rejected" && (r.reason as { code?: string }).code === "insufficient_credits",
    ).length;
    console.info(`[${kind}] 100 concurrent holds on 50 credits: ${ok} held, ${refused} refused`);
    expect(ok).toBe(50);
    expect(refused).toBe(50);
    expect(await getBalance(t.db, user.id)).toBe(0);
    // A refused hold leaves no generation behind: the hold and the row share one transaction.
    expect(await t.db.generation.count({ where: { userId: user.id } })).toBe(50);
    const sum = await t.db.creditLedgerEntry.aggregate({
      where: { userId: user.id },
      _sum: { amount: true },
    });
    expect(sum._sum.amount).toBe(0);
    await assertLedgerConserved(t.db);
  });

  it("10 concurrent refunds of one generation refund once", async () => {
    const user = await userWith(t, 10);
    const generation = await generationFor(t, user.id, 3);
    expect(await getBalance(t.db, user.id)).toBe(7);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.db.$transaction((tx) => refundGeneration(tx, generation.id))),
    );
    console.info(
      `[${kind}] 10 concurrent refunds of one generation: ${results.filter(Boolean).length} applied`,
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await getBalance(t.db, user.id)).toBe(10);
    const refunds = await t.db.creditLedgerEntry.count({
      where: { generationId: generation.id, reason: "refund" },
    });
    expect(refunds).toBe(1);
    await assertLedgerConserved(t.db);
  });

  it("refuses a hold that would overdraw and records nothing", async () => {
    const user = await userWith(t, 2);
    await expect(generationFor(t, user.id, 3)).rejects.toMatchObject({ code: "insufficient_credits" });
    expect(await getBalance(t.db, user.id)).toBe(2);
    expect(await t.db.creditLedgerEntry.count({ where: { userId: user.id } })).toBe(1);
    expect(await t.db.generation.count({ where: { userId: user.id } })).toBe(0);
  });

  it("applies a grant once per idempotency key and keeps balanceAfter on every row", async () => {
    const user = await userWith(t, 0);
    const first = await grantCredits(t.db, {
      userId: user.id,
      amount: 5,
      idempotencyKey: `bonus:${user.id}`,
    });
    const second = await grantCredits(t.db, {
      userId: user.id,
      amount: 5,
      idempotencyKey: `bonus:${user.id}`,
    });
    expect(first).toEqual({ applied: true, balance: 5 });
    expect(second).toEqual({ applied: false });
    const generation = await generationFor(t, user.id, 2);
    const rows = await t.db.creditLedgerEntry.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => [r.reason, r.amount, r.balanceAfter])).toEqual([
      ["grant", 5, 5],
      ["hold", -2, 3],
    ]);
    expect(rows[1]!.generationId).toBe(generation.id);
  });

  it("the database itself refuses a negative balance", async () => {
    const user = await userWith(t, 1);
    await expect(
      t.db.$executeRaw`UPDATE "User" SET "credits" = -1 WHERE "id" = ${user.id}`,
    ).rejects.toThrow();
    expect(await getBalance(t.db, user.id)).toBe(1);
  });
});
