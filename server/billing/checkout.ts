import "server-only";

import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

import { billingEnabled, getStripe } from "./stripe-client";

/** The packs on sale, in credits order. */
export function creditPacks() {
  return env.CREDIT_PACKS;
}

/**
 * Opens a Stripe Checkout Session for one pack and returns its URL. The user and the pack travel in
 * the session's metadata, read back by the webhook; a double click within the same minute reuses
 * the same session (Stripe's idempotency key).
 */
export async function startCheckout(user: { id: string; email: string | null }, packId: string) {
  if (!billingEnabled()) {
    throw new AppError("not_found", "Buying credits is not available in this studio.", {
      nothingCharged: true,
    });
  }
  const pack = creditPacks().find((p) => p.id === packId);
  if (!pack)
    throw new AppError("invalid_input", "Choose one of the packs on offer.", { nothingCharged: true });

  const minute = Math.floor(Date.now() / 60_000);
  const session = await getStripe().checkout.sessions.create(
    {
      mode: "payment",
      client_reference_id: user.id,
      ...(user.email ? { customer_email: user.email } : {}),
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: env.CREDIT_CURRENCY,
            unit_amount: pack.amountCents,
            product_data: { name: `${pack.credits} Reve Studio credits` },
          },
        },
      ],
      metadata: { userId: user.id, packId: pack.id, credits: String(pack.credits) },
      payment_intent_data: { metadata: { userId: user.id, packId: pack.id } },
      success_url: `${env.APP_URL}/credits?purchase={CHECKOUT_SESSION_ID}`,
      cancel_url: `${env.APP_URL}/credits?purchase=cancelled`,
    },
    { idempotencyKey: `checkout:${user.id}:${pack.id}:${minute}` },
  );
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL.");

  await getDb().creditPurchase.upsert({
    where: { checkoutSessionId: session.id },
    create: {
      userId: user.id,
      checkoutSessionId: session.id,
      packId: pack.id,
      credits: pack.credits,
      amountCents: pack.amountCents,
      currency: env.CREDIT_CURRENCY,
    },
    update: {},
  });
  return session.url;
}

/** One of the user's purchases by its Checkout Session id, for the page that waits for it. */
export async function getPurchase(userId: string, checkoutSessionId: string) {
  const purchase = await getDb().creditPurchase.findFirst({
    where: { userId, checkoutSessionId },
    select: { status: true, credits: true, paidAt: true, user: { select: { credits: true } } },
  });
  if (!purchase) throw new AppError("not_found", "No such purchase.");
  return {
    status: purchase.status,
    credits: purchase.credits,
    paidAt: purchase.paidAt?.toISOString() ?? null,
    balance: purchase.user.credits,
  };
}

/** What the credits page offers: packs when Stripe is set up, vouchers always. */
export function creditOffer() {
  return {
    buy: billingEnabled(),
    packs: billingEnabled() ? creditPacks() : [],
    currency: env.CREDIT_CURRENCY,
  };
}
