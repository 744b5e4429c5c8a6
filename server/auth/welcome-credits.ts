import "server-only";

import { grantCredits } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import type { WelcomeCredits } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { limiterFor, type Limiter } from "@/server/rate-limit";

// Scripted sign-ups must not farm paid provider calls: the welcome credits go to at most
// SIGNUP_CREDITS_PER_IP_PER_DAY accounts per address a day, and to no more accounts in a day than
// SIGNUP_CREDITS_DAILY_BUDGET pays for. Later accounts are made with 0 credits and told why.

const limiter = (keyPrefix: string, points: number) =>
  limiterFor({ keyPrefix, points, durationSeconds: DAY });

const DAY = 24 * 60 * 60;

async function spends(limiter: Limiter, key: string): Promise<boolean> {
  try {
    await limiter.consume(key, () => "");
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return false;
    throw error;
  }
}

/**
 * Gives a new account its welcome credits, or records why it gets none (yet). `verified` says the
 * email address is proven; with EMAIL_VERIFICATION=required nothing is given before it is.
 */
export async function giveWelcomeCredits(
  userId: string,
  ip: string | null,
  options: { verified: boolean },
): Promise<WelcomeCredits | null> {
  if (env.SIGNUP_CREDITS <= 0) return null;
  const outcome = await decide(ip, options.verified);
  await getDb().user.update({ where: { id: userId }, data: { welcome: outcome } });
  if (outcome === "granted") {
    await grantCredits(getDb(), {
      userId,
      amount: env.SIGNUP_CREDITS,
      reason: "signup_grant",
      idempotencyKey: `signup:${userId}`,
      note: "Welcome credits",
    });
  }
  return outcome;
}

async function decide(ip: string | null, verified: boolean): Promise<WelcomeCredits> {
  if (env.EMAIL_VERIFICATION === "required" && !verified) return "awaiting_verification";
  const perIp = env.SIGNUP_CREDITS_PER_IP_PER_DAY;
  if (perIp === 0 || (ip && !(await spends(limiter("welcome-ip", perIp), ip)))) return "ip_limit";
  const grantsPerDay = Math.floor(env.SIGNUP_CREDITS_DAILY_BUDGET / env.SIGNUP_CREDITS);
  if (grantsPerDay === 0 || !(await spends(limiter("welcome-budget", grantsPerDay), "studio"))) {
    return "budget_spent";
  }
  return "granted";
}

/** What the studio tells an account about its welcome credits. */
export function welcomeMessage(welcome: WelcomeCredits | null, credits = env.SIGNUP_CREDITS): string | null {
  switch (welcome) {
    case "ip_limit":
      return `Accounts created from your network today have already received their ${credits} welcome credits, so this one starts at 0.`;
    case "budget_spent":
      return `Today's welcome credits are all given out, so this account starts at 0.`;
    case "awaiting_verification":
      return `Your ${credits} welcome credits arrive when you confirm your email address: follow the link we sent you.`;
    default:
      return null;
  }
}

/** The account's welcome-credit notice, if it has one to show. */
export async function welcomeNotice(userId: string): Promise<string | null> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { welcome: true } });
  return welcomeMessage(user?.welcome ?? null);
}
