import "server-only";

import type Stripe from "stripe";

import { applyMovement, takeBackUpTo, TX_OPTIONS } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

import { billingEnabled, getStripe } from "./stripe-client";

type Tx = Prisma.TransactionClient;

/** Seconds a signed event stays acceptable; older ones are replays. Stripe's own default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Verifies a Stripe webhook and applies its event exactly once: the event id is claimed in the same
 * transaction as the ledger rows it causes, so a replay, a retry or two deliveries racing change
 * the balance once. Throws `invalid_input` for a bad signature (Stripe then sees a 400).
 */
export async function handleStripeWebhook(
  rawBody: string,
  signature: string | null,
): Promise<{ applied: boolean }> {
  if (!billingEnabled()) throw new AppError("not_found", "Billing is off.");
  let event: Stripe.Event;
  try {
    event = getStripe().webhooks.constructEvent(
      rawBody,
      signature ?? "",
      env.STRIPE_WEBHOOK_SECRET!,
      SIGNATURE_TOLERANCE_SECONDS,
    );
  } catch {
    throw new AppError("invalid_input", "The signature does not match.");
  }
  return getDb().$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "BillingEvent" ("id", "type") VALUES (${event.id}, ${event.type})
      ON CONFLICT ("id") DO NOTHING RETURNING "id"`;
    if (claimed.length === 0) return { applied: false };
    await applyEvent(tx, event);
    return { applied: true };
  }, TX_OPTIONS);
}

async function applyEvent(tx: Tx, event: Stripe.Event) {
  switch (event.type) {
    case "checkout.session.completed":
      // Card payments arrive paid; bank debits complete later with async_payment_succeeded.
      if (event.data.object.payment_status === "paid") await creditPurchase(tx, event.data.object);
      else await notePaymentIntent(tx, event.data.object);
      return;
    case "checkout.session.async_payment_succeeded":
      await creditPurchase(tx, event.data.object);
      return;
    case "charge.refunded": {
      const charge = event.data.object;
      const share = charge.amount > 0 ? charge.amount_refunded / charge.amount : 1;
      await takeBack(tx, event.id, idOf(charge.payment_intent), share, "refunded");
      return;
    }
    case "charge.dispute.created":
      await takeBack(tx, event.id, idOf(event.data.object.payment_intent), 1, "disputed");
      return;
    default:
      return;
  }
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

async function notePaymentIntent(tx: Tx, session: Stripe.Checkout.Session) {
  const paymentIntentId = idOf(session.payment_intent);
  if (!paymentIntentId) return;
  await tx.creditPurchase.updateMany({
    where: { checkoutSessionId: session.id, paymentIntentId: null },
    data: { paymentIntentId },
  });
}

async function creditPurchase(tx: Tx, session: Stripe.Checkout.Session) {
  const purchase =
    (await tx.creditPurchase.findUnique({ where: { checkoutSessionId: session.id } })) ??
    (await purchaseFromMetadata(tx, session));
  if (!purchase) {
    console.warn(`[billing] paid Checkout Session ${session.id} matches no account; nothing credited`);
    return;
  }
  await applyMovement(tx, {
    userId: purchase.userId,
    amount: purchase.credits,
    reason: "purchase",
    idempotencyKey: `purchase:${session.id}`,
    note: `${purchase.credits} credits bought`,
  });
  await tx.creditPurchase.updateMany({
    where: { id: purchase.id, status: "pending" },
    data: { status: "paid", paidAt: new Date(), paymentIntentId: idOf(session.payment_intent) },
  });
}

/** A session the studio did not record (its row was lost): trust only our own metadata. */
async function purchaseFromMetadata(tx: Tx, session: Stripe.Checkout.Session) {
  const userId = session.metadata?.userId;
  const pack = env.CREDIT_PACKS.find((p) => p.id === session.metadata?.packId);
  if (!userId || !pack) return null;
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) return null;
  return tx.creditPurchase.create({
    data: {
      userId,
      checkoutSessionId: session.id,
      packId: pack.id,
      credits: pack.credits,
      amountCents: session.amount_total ?? pack.amountCents,
      currency: session.currency ?? env.CREDIT_CURRENCY,
    },
  });
}

/**
 * Takes back the credits a refund or a dispute covers. What was already spent cannot be taken: the
 * balance stops at zero and the rest is recorded as the purchase's shortfall for the operator.
 */
async function takeBack(
  tx: Tx,
  eventId: string,
  paymentIntentId: string | null,
  share: number,
  status: "refunded" | "disputed",
) {
  if (!paymentIntentId) return;
  const purchase = await tx.creditPurchase.findUnique({ where: { paymentIntentId } });
  if (!purchase || purchase.status === "pending") return;
  const owed = Math.min(purchase.credits, Math.ceil(purchase.credits * Math.min(1, share)));
  const due = owed - purchase.creditsTakenBack - purchase.shortfall;
  if (due <= 0) return;
  const taken = await takeBackUpTo(tx, {
    userId: purchase.userId,
    upTo: due,
    idempotencyKey: `takeback:${eventId}`,
    note: status === "refunded" ? "Payment refunded" : "Payment disputed",
  });
  await tx.creditPurchase.update({
    where: { id: purchase.id },
    data: {
      status,
      creditsTakenBack: { increment: taken },
      shortfall: { increment: due - taken },
    },
  });
  if (taken < due) {
    console.warn(
      `[billing] ${status} purchase ${purchase.id}: ${due - taken} of ${due} credits were already spent and could not be taken back`,
    );
  }
}
