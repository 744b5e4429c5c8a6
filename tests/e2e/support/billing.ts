import { execFile } from "node:child_process";

import { expect, type APIRequestContext } from "@playwright/test";
import Stripe from "stripe";

// Buying credits runs against a local Stripe fake (tests/helpers/stripe-fake.ts) through the real
// SDK; these are the keys the browser tests' studio is started with (playwright.config.ts).
export const E2E_STRIPE = { secretKey: "sk_test_e2e_reve_studio", webhookSecret: "whsec_e2e_reve_studio" };
export const stripePort = () => Number(process.env.E2E_STRIPE_PORT ?? 4210);

/** The session the studio opened at the fake, with the metadata it sent. */
export async function checkoutSession(request: APIRequestContext, id: string) {
  const answer = await request.get(`http://127.0.0.1:${stripePort()}/__sessions/${id}`);
  expect(answer.ok()).toBe(true);
  return (await answer.json()) as { id: string; metadata: Record<string, string> };
}

/** Delivers a Stripe event to the studio's webhook, signed as Stripe signs it. */
export async function deliverStripeEvent(
  request: APIRequestContext,
  event: { id: string; type: string; object: Record<string, unknown> },
) {
  const payload = JSON.stringify({
    id: event.id,
    object: "event",
    type: event.type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: event.object },
  });
  const signature = new Stripe(E2E_STRIPE.secretKey).webhooks.generateTestHeaderString({
    payload,
    secret: E2E_STRIPE.webhookSecret,
  });
  return request.post("/api/billing/webhook", {
    data: payload,
    headers: { "stripe-signature": signature, "content-type": "application/json" },
  });
}

/** `npm run admin -- …` against the running test studio (its DATA_DIR), as an operator would. */
export function adminCli(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/admin.ts", ...args],
      { env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR }, timeout: 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`admin ${args[0]} failed: ${stderr}`))
          : resolve(JSON.parse(stdout) as Record<string, unknown>),
    );
  });
}
