import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as BuyModule from "@/server/actions/buy-credits";
import type * as PurchaseRoute from "@/app/api/billing/purchases/[id]/route";
import type * as WebhookRoute from "@/app/api/billing/webhook/route";
import { move } from "@/server/credits/ledger";
import { env } from "@/server/env";

import { installAppDb, makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { startStripeFake } from "../helpers/stripe-fake";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

const WEBHOOK_SECRET = "whsec_test_reve_studio_billing";
const signer = new Stripe("sk_test_unused");

/** A Stripe event as Stripe sends it, signed with `secret` at `timestamp` (seconds). */
function signedEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; secret?: string; timestamp?: number } = {},
) {
  const payload = JSON.stringify({
    id: options.id ?? `evt_${crypto.randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: "2025-01-01",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: null,
    type,
    data: { object },
  });
  const signature = signer.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });
  return { payload, signature };
}

describe.each(DB_KINDS)("buying credits with Stripe on %s", (kind) => {
  let t: TestDb;
  let fake: Awaited<ReturnType<typeof startStripeFake>>;
  let buy: typeof BuyModule;
  let webhook: typeof WebhookRoute;
  let purchaseRoute: typeof PurchaseRoute;

  beforeAll(async () => {
    fake = await startStripeFake();
    Object.assign(env, {
      STRIPE_SECRET_KEY: "sk_test_reve_studio",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: fake.url,
    });
    t = await installAppDb(kind);
    buy = await import("@/server/actions/buy-credits");
    webhook = await import("@/app/api/billing/webhook/route");
    purchaseRoute = await import("@/app/api/billing/purchases/[id]/route");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
    await fake?.close();
  });

  const deliver = (event: { payload: string; signature: string }) =>
    webhook.POST(
      new Request("http://localhost/api/billing/webhook", {
        method: "POST",
        headers: { "stripe-signature": event.signature, "content-type": "application/json" },
        body: event.payload,
      }),
    );

  /** Opens a Checkout Session through the action, as the Buy button does; returns its id. */
  async function checkout(user: { id: string; email: string | null }, packId = "100") {
    signInAs(user);
    const form = new FormData();
    form.set("packId", packId);
    const redirect = await buy.buyCredits(null, form).then(
      () => expect.fail("the action should redirect to Checkout"),
      (error: { digest?: string }) => error.digest ?? "",
    );
    const call = fake.calls.at(-1)!;
    expect(redirect).toContain(`https://checkout.stripe.test/c/pay/`);
    return { sessionId: redirect.match(/cs_test_[A-Za-z0-9_]+/)![0], call };
  }

  const paidSession = (sessionId: string, userId: string, extra: Record<string, unknown> = {}) => ({
    id: sessionId,
    object: "checkout.session",
    payment_status: "paid",
    payment_intent: `pi_${sessionId}`,
    amount_total: 500,
    currency: "usd",
    metadata: { userId, packId: "100", credits: "100" },
    ...extra,
  });

  const balanceOf = async (userId: string) =>
    (await t.db.user.findUniqueOrThrow({ where: { id: userId } })).credits;

  it("opens Checkout with the user and the pack in metadata, an idempotency key, and the pack's price", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId, call } = await checkout(user);
    expect(call.authorization).toBe("Bearer sk_test_reve_studio");
    expect(call.idempotencyKey).toMatch(new RegExp(`^checkout:${user.id}:100:`));
    expect(call.fields).toMatchObject({
      mode: "payment",
      "metadata[userId]": user.id,
      "metadata[packId]": "100",
      "line_items[0][price_data][unit_amount]": "500",
      "line_items[0][price_data][currency]": "usd",
    });
    expect(call.fields.success_url).toContain("/credits?purchase={CHECKOUT_SESSION_ID}");
    const purchase = await t.db.creditPurchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(purchase).toMatchObject({ userId: user.id, credits: 100, status: "pending" });
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("refuses a pack that is not on offer, charging nothing", async () => {
    const user = await makeUser(t.db, 0);
    signInAs(user);
    const form = new FormData();
    form.set("packId", "7");
    const calls = fake.calls.length;
    const result = await buy.buyCredits(null, form);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input", nothingCharged: true } });
    expect(fake.calls.length).toBe(calls);
  });

  it("credits a paid session once, and a replay of the same event changes nothing", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId } = await checkout(user);
    const event = signedEvent("checkout.session.completed", paidSession(sessionId, user.id));
    const first = await deliver(event);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, applied: true });
    expect(await balanceOf(user.id)).toBe(100);

    const replay = await deliver(event);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, applied: false });
    expect(await balanceOf(user.id)).toBe(100);
    const ledger = await t.db.creditLedgerEntry.findMany({ where: { userId: user.id } });
    expect(ledger).toEqual([expect.objectContaining({ reason: "purchase", amount: 100, balanceAfter: 100 })]);

    // The page that waits after Checkout reads the purchase and the new balance.
    signInAs(user);
    const answer = await purchaseRoute.GET(
      new Request(`http://localhost/api/billing/purchases/${sessionId}`),
      {
        params: Promise.resolve({ id: sessionId }),
      },
    );
    expect(await answer.json()).toMatchObject({ status: "paid", credits: 100, balance: 100 });
  });

  it("shows a purchase to its buyer only", async () => {
    const buyer = await makeUser(t.db, 0);
    const { sessionId } = await checkout(buyer);
    signInAs(await makeUser(t.db, 0));
    const answer = await purchaseRoute.GET(
      new Request(`http://localhost/api/billing/purchases/${sessionId}`),
      {
        params: Promise.resolve({ id: sessionId }),
      },
    );
    expect(answer.status).toBe(404);
  });

  it("refuses a forged signature and a stale timestamp with 400 and credits nothing", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId } = await checkout(user);
    const object = paidSession(sessionId, user.id);
    const forged = await deliver(
      signedEvent("checkout.session.completed", object, { secret: "whsec_wrong" }),
    );
    expect(forged.status).toBe(400);
    const stale = await deliver(
      signedEvent("checkout.session.completed", object, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    );
    expect(stale.status).toBe(400);
    const unsigned = await webhook.POST(
      new Request("http://localhost/api/billing/webhook", {
        method: "POST",
        body: signedEvent("x", {}).payload,
      }),
    );
    expect(unsigned.status).toBe(400);
    expect(await balanceOf(user.id)).toBe(0);
    expect(await t.db.billingEvent.count({ where: { type: "x" } })).toBe(0);
  });

  it("refuses a body far larger than any event before reading it whole", async () => {
    const response = await webhook.POST(
      new Request("http://localhost/api/billing/webhook", {
        method: "POST",
        headers: { "stripe-signature": "t=1,v1=00" },
        body: "x".repeat(300 * 1024),
      }),
    );
    expect(response.status).toBe(413);
  });

  it("credits an unpaid session only when its delayed payment succeeds", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId } = await checkout(user);
    const unpaid = paidSession(sessionId, user.id, { payment_status: "unpaid" });
    expect((await deliver(signedEvent("checkout.session.completed", unpaid))).status).toBe(200);
    expect(await balanceOf(user.id)).toBe(0);
    const succeeded = paidSession(sessionId, user.id);
    expect((await deliver(signedEvent("checkout.session.async_payment_succeeded", succeeded))).status).toBe(
      200,
    );
    expect(await balanceOf(user.id)).toBe(100);
  });

  it("takes back what a refund covers, never below zero, and records what was already spent", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId } = await checkout(user);
    await deliver(signedEvent("checkout.session.completed", paidSession(sessionId, user.id)));
    await move(t.db, {
      userId: user.id,
      amount: -70,
      reason: "adjustment",
      idempotencyKey: `spent:${user.id}`,
    });
    expect(await balanceOf(user.id)).toBe(30);

    const charge = {
      id: `ch_${sessionId}`,
      object: "charge",
      amount: 500,
      amount_refunded: 500,
      payment_intent: `pi_${sessionId}`,
    };
    const refund = signedEvent("charge.refunded", charge);
    expect((await deliver(refund)).status).toBe(200);
    expect(await balanceOf(user.id)).toBe(0);
    const purchase = await t.db.creditPurchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(purchase).toMatchObject({ status: "refunded", creditsTakenBack: 30, shortfall: 70 });

    // A dispute of the same payment afterwards takes nothing more: the whole pack is accounted for.
    await deliver(
      signedEvent("charge.dispute.created", {
        id: "dp_1",
        object: "dispute",
        payment_intent: `pi_${sessionId}`,
      }),
    );
    expect(await balanceOf(user.id)).toBe(0);
    expect(await t.db.creditLedgerEntry.count({ where: { userId: user.id, reason: "adjustment" } })).toBe(2);
  });

  it("takes back half the credits for a half refund, and the rest on a later dispute", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId } = await checkout(user);
    await deliver(signedEvent("checkout.session.completed", paidSession(sessionId, user.id)));
    const half = {
      id: `ch_${sessionId}`,
      object: "charge",
      amount: 500,
      amount_refunded: 250,
      payment_intent: `pi_${sessionId}`,
    };
    await deliver(signedEvent("charge.refunded", half));
    expect(await balanceOf(user.id)).toBe(50);
    await deliver(
      signedEvent("charge.dispute.created", {
        id: "dp_2",
        object: "dispute",
        payment_intent: `pi_${sessionId}`,
      }),
    );
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("credits once when deliveries race: the same event twice, and completed with async success", async () => {
    const user = await makeUser(t.db, 0);
    const { sessionId } = await checkout(user);
    const event = signedEvent("checkout.session.completed", paidSession(sessionId, user.id));
    const other = signedEvent("checkout.session.async_payment_succeeded", paidSession(sessionId, user.id));
    const answers = await Promise.all([deliver(event), deliver(event), deliver(other), deliver(event)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(await balanceOf(user.id)).toBe(100);
    expect(await t.db.creditLedgerEntry.count({ where: { userId: user.id, reason: "purchase" } })).toBe(1);
  });

  it("keeps every balance equal to its ledger while purchases, vouchers, refunds and holds race", async () => {
    const user = await makeUser(t.db, 5);
    const { sessionId } = await checkout(user);
    const { runAdminCommand } = await import("@/server/admin/commands");
    const voucher = (await runAdminCommand({ command: "voucher-create", credits: 20, uses: 1 }, "cli:test"))
      .code as string;
    const { redeemVoucher } = await import("@/server/billing/vouchers");
    const spend = (i: number) =>
      move(t.db, {
        userId: user.id,
        amount: -3,
        reason: "hold",
        idempotencyKey: `race-hold:${user.id}:${i}`,
      }).catch((error: { code?: string }) => {
        if (error.code !== "insufficient_credits") throw error;
        return { applied: false as const };
      });
    const paid = signedEvent("checkout.session.completed", paidSession(sessionId, user.id));
    const refund = signedEvent("charge.refunded", {
      id: `ch_${sessionId}`,
      object: "charge",
      amount: 500,
      amount_refunded: 500,
      payment_intent: `pi_${sessionId}`,
    });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => spend(i)),
      deliver(paid),
      deliver(paid),
      redeemVoucher(user.id, voucher, null),
      ...Array.from({ length: 20 }, (_, i) => spend(100 + i)),
    ]);
    // The refund lands after the purchase (Stripe refunds only a paid charge), racing more holds.
    await Promise.all([
      deliver(refund),
      deliver(refund),
      ...Array.from({ length: 10 }, (_, i) => spend(200 + i)),
    ]);

    await assertLedgerConserved(t.db);
    const purchase = await t.db.creditPurchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(purchase.creditsTakenBack + purchase.shortfall).toBe(100);
    const ledger = await t.db.creditLedgerEntry.findMany({ where: { userId: user.id } });
    expect(ledger.filter((r) => r.reason === "purchase")).toHaveLength(1);
    expect(ledger.filter((r) => r.reason === "voucher")).toHaveLength(1);
    expect(ledger.filter((r) => r.reason === "adjustment").reduce((sum, r) => sum - r.amount, 0)).toBe(
      purchase.creditsTakenBack,
    );
    expect(await balanceOf(user.id)).toBeGreaterThanOrEqual(0);
  });
});
