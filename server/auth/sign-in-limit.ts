import "server-only";

import { env } from "@/server/env";
import { formatWait, limiterFor } from "@/server/rate-limit";

import { clientIpFrom } from "./client-ip";

// Three limits, counted before any password is hashed or verified:
// - per client address, across all emails (sign-ups spend from it too): one password sprayed over
//   many accounts, or endless sign-ups, cost the address its allowance, not us an argon2 each;
// - per address and email, 15 minutes then a day: one address guessing one account backs off;
// - per account, from devices that never signed into it: many addresses guessing one account are
//   slowed, yet the owner's own device, and after a few minutes any device, still gets in.

const MINUTE = 60;

const limiters = () => ({
  ip: limiterFor({
    keyPrefix: "signin-ip",
    points: env.SIGNIN_ATTEMPTS_PER_IP_PER_15_MINUTES,
    durationSeconds: 15 * MINUTE,
  }),
  ipEmail: limiterFor({
    keyPrefix: "signin-ip-email",
    points: env.SIGNIN_ATTEMPTS_PER_IP_AND_EMAIL_PER_15_MINUTES,
    durationSeconds: 15 * MINUTE,
  }),
  ipEmailDaily: limiterFor({
    keyPrefix: "signin-ip-email-day",
    points: env.SIGNIN_ATTEMPTS_PER_IP_AND_EMAIL_PER_15_MINUTES * 4,
    durationSeconds: 24 * 60 * MINUTE,
  }),
  account: limiterFor({
    keyPrefix: "signin-account",
    points: env.SIGNIN_ATTEMPTS_PER_ACCOUNT_PER_5_MINUTES,
    durationSeconds: 5 * MINUTE,
  }),
});

/** The client's address as `TRUSTED_PROXY_HOPS` says to read it (see client-ip.ts). */
export const clientIpOf = (headers: Headers) =>
  clientIpFrom(headers.get("x-forwarded-for"), env.TRUSTED_PROXY_HOPS);

const tooMany = (seconds: number) => `Too many sign-in attempts. Try again in ${formatWait(seconds)}.`;
// Requests whose address cannot be read share one allowance rather than escaping the limit.
const ipKey = (ip: string | null) => ip ?? "unknown";

export interface SignInAttempt {
  email: string;
  ip: string | null;
  /** The browser carries a valid known-device cookie for this email's account. */
  knownDevice: boolean;
}

/** Spends one attempt on each limit; throws a `rate_limited` AppError when one is used up. */
export async function checkSignInLimits(attempt: SignInAttempt): Promise<void> {
  const l = limiters();
  const pair = `${ipKey(attempt.ip)}|${attempt.email}`;
  await l.ip.consume(ipKey(attempt.ip), tooMany);
  await l.ipEmail.consume(pair, tooMany);
  await l.ipEmailDaily.consume(pair, tooMany);
  if (!attempt.knownDevice) {
    await l.account.consume(
      attempt.email,
      (s) =>
        `Too many sign-in attempts on this account. Try again in ${formatWait(s)}, ` +
        "or from a device you signed in with before.",
    );
  }
}

/** A right password forgives this address's earlier typos for this email (not the account's count). */
export async function signInSucceeded(attempt: Pick<SignInAttempt, "email" | "ip">): Promise<void> {
  const l = limiters();
  const pair = `${ipKey(attempt.ip)}|${attempt.email}`;
  await Promise.all([l.ipEmail.reset(pair), l.ipEmailDaily.reset(pair)]);
}

/** The per-address allowance, spent by a sign-up before its password is hashed. */
export async function checkSignUpLimit(ip: string | null): Promise<void> {
  await limiters().ip.consume(
    ipKey(ip),
    (s) => `Too many attempts from your network. Try again in ${formatWait(s)}.`,
  );
}
