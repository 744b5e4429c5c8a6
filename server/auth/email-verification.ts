import "server-only";

import { createHash, randomBytes } from "node:crypto";

import nodemailer from "nodemailer";

import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { logUnexpected } from "@/server/log";

import { giveWelcomeCredits } from "./welcome-credits";

/** A verification link works for a day. */
const LINK_TTL_MS = 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const identifierFor = (email: string) => `verify-email:${email}`;

/**
 * Mails a link that proves the address. Only the token's SHA-256 is stored (Auth.js's
 * VerificationToken table), so a database leak opens no account. A failed send is logged; the
 * person can ask for the link again.
 */
export async function sendVerificationEmail(email: string): Promise<boolean> {
  if (!env.SMTP_URL) return false;
  const token = randomBytes(32).toString("base64url");
  await getDb().verificationToken.create({
    data: {
      identifier: identifierFor(email),
      token: hashToken(token),
      expires: new Date(Date.now() + LINK_TTL_MS),
    },
  });
  const link = new URL("/api/account/verify-email", env.APP_URL);
  link.searchParams.set("email", email);
  link.searchParams.set("token", token);
  try {
    await nodemailer.createTransport(env.SMTP_URL).sendMail({
      from: env.EMAIL_FROM,
      to: email,
      subject: "Confirm your email address for Reve Studio",
      text: `Confirm your email address to receive your welcome credits:\n\n${link.toString()}\n\nThe link works for 24 hours. If you did not create an account, ignore this message.`,
    });
    return true;
  } catch (error) {
    logUnexpected(error, "sending a verification email");
    return false;
  }
}

/** Marks the address verified once, then gives the welcome credits it was waiting for. */
export async function verifyEmail(email: string, token: string): Promise<void> {
  const used = await getDb().verificationToken.deleteMany({
    where: { identifier: identifierFor(email), token: hashToken(token), expires: { gt: new Date() } },
  });
  if (used.count !== 1) {
    throw new AppError("invalid_input", "This link has expired or was already used. Ask for a new one.");
  }
  const user = await getDb().user.update({
    where: { email },
    data: { emailVerified: new Date() },
    select: { id: true, signupIp: true, welcome: true },
  });
  if (user.welcome === "awaiting_verification") {
    await giveWelcomeCredits(user.id, user.signupIp, { verified: true });
  }
}
