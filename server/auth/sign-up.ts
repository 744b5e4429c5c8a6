import "server-only";

import { grantCredits } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

import { hashPassword } from "./password";

export async function grantSignupCredits(userId: string) {
  if (env.SIGNUP_CREDITS <= 0) return;
  await grantCredits(getDb(), {
    userId,
    amount: env.SIGNUP_CREDITS,
    reason: "signup_grant",
    idempotencyKey: `signup:${userId}`,
    note: "Welcome credits",
  });
}

/** Creates an email-and-password account with its starting credits. */
export async function createPasswordUser(input: { email: string; password: string; name?: string }) {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await getDb().user.create({
      data: { email: input.email, name: input.name || null, passwordHash },
      select: { id: true },
    });
    await grantSignupCredits(user.id);
    return user;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}
