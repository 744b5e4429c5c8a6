import "server-only";

import Stripe from "stripe";

import { env } from "@/server/env";

let cached: { config: string; client: Stripe } | undefined;

/** Stripe Checkout is on when the studio has both its secret key and its webhook secret. */
export function billingEnabled(): boolean {
  return env.STRIPE_SECRET_KEY !== undefined && env.STRIPE_WEBHOOK_SECRET !== undefined;
}

/** The process's Stripe client; STRIPE_API_URL points it at a local fake. */
export function getStripe(): Stripe {
  if (!env.STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not set.");
  const config = `${env.STRIPE_SECRET_KEY}|${env.STRIPE_API_URL ?? ""}`;
  if (cached?.config !== config) {
    const api = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : undefined;
    const client = new Stripe(env.STRIPE_SECRET_KEY, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: "Reve Studio" },
      ...(api
        ? {
            host: api.hostname,
            port: Number(api.port || (api.protocol === "https:" ? 443 : 80)),
            protocol: api.protocol === "https:" ? "https" : "http",
          }
        : {}),
    });
    cached = { config, client };
  }
  return cached.client;
}
