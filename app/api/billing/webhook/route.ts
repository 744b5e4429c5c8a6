// POST /api/billing/webhook – Stripe's events: purchases credited, refunds and disputes taken back.
import { NextResponse } from "next/server";

import { handleStripeWebhook } from "@/server/billing/stripe-webhook";
import { publicRoute } from "@/server/http";
import { readBodyText } from "@/server/read-body";

/** Stripe's events are a few kilobytes; anything far larger is not one. */
const MAX_EVENT_BYTES = 256 * 1024;

export const POST = publicRoute(async (request) => {
  const signature = request.headers.get("stripe-signature");
  const body = await readBodyText(request, { maxBytes: MAX_EVENT_BYTES });
  const { applied } = await handleStripeWebhook(body, signature);
  return NextResponse.json({ received: true, applied });
});
