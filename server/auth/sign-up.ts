import "server-only";

import { getDb } from "@/server/db/client";
import { Prisma, type WelcomeCredits } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { formatWait, limiterFor } from "@/server/rate-limit";

import { sendVerificationEmail } from "./email-verification";
import { hashPassword } from "./password";
import { giveWelcomeCredits } from "./welcome-credits";

/**
 * Counts a sign-up attempt from `ip` before anything costly happens: each attempt would cost an
 * argon2 hash (19 MiB), so a script cannot make the server hash for it at will.
 */
export async function checkSignUpRate(ip: string | null) {
  if (!ip) return;
  const perIp = limiterFor({
    keyPrefix: "signup-ip",
    points: env.SIGNUP_ATTEMPTS_PER_IP_PER_HOUR,
    durationSeconds: 3600,
  });
  await perIp.consume(ip, (s) => `Too many sign-ups from your network. Try again in ${formatWait(s)}.`);
}

/** Creates an email-and-password account, and its welcome credits where the limits allow. */
export async function createPasswordUser(
  input: { email: string; password: string; name?: string },
  ip: string | null,
): Promise<{ id: string; welcome: WelcomeCredits | null }> {
  await checkSignUpRate(ip);
  const passwordHash = await hashPassword(input.password);
  let user: { id: string };
  try {
    user = await getDb().user.create({
      data: { email: input.email, name: input.name || null, passwordHash, signupIp: ip },
      select: { id: true },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
  const welcome = await giveWelcomeCredits(user.id, ip, { verified: false });
  if (welcome === "awaiting_verification") await sendVerificationEmail(input.email);
  return { id: user.id, welcome };
}

/** An OAuth sign-up: the provider vouches for the address; the per-address and daily limits apply. */
export async function welcomeOAuthUser(userId: string, ip: string | null) {
  await getDb().user.update({ where: { id: userId }, data: { signupIp: ip } });
  await giveWelcomeCredits(userId, ip, { verified: true });
}
