import "server-only";

import { createHash, randomInt } from "node:crypto";

import { applyMovement, TX_OPTIONS } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { formatWait, limiterFor } from "@/server/rate-limit";

// Codes are 12 characters of an alphabet without look-alikes (no 0/O, 1/I/L), shown as
// XXXX-XXXX-XXXX: 31^12 ≈ 7.9e17 codes, so guessing one within the redemption limit is hopeless.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 12;

/** Upper case, no spaces or dashes: what a person may type for the code they were given. */
export const normalizeVoucherCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");

const hashCode = (code: string) => createHash("sha256").update(normalizeVoucherCode(code)).digest("hex");

export interface NewVoucher {
  credits: number;
  maxUses: number;
  expiresAt?: Date;
  note?: string;
  createdBy: string;
}

/** Creates a voucher and returns its code, which is stored only as a hash: show it now or never. */
export async function createVoucher(input: NewVoucher) {
  if (!Number.isSafeInteger(input.credits) || input.credits <= 0)
    throw new Error("--credits must be a positive whole number.");
  if (!Number.isSafeInteger(input.maxUses) || input.maxUses <= 0)
    throw new Error("--uses must be a positive whole number.");
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    throw new Error("--expires must be in the future.");
  const raw = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const code = raw.match(/.{4}/g)!.join("-");
  const voucher = await getDb().voucher.create({
    data: {
      codeHash: hashCode(code),
      credits: input.credits,
      maxUses: input.maxUses,
      expiresAt: input.expiresAt ?? null,
      note: input.note ?? null,
      createdBy: input.createdBy,
    },
    select: { id: true, credits: true, maxUses: true, expiresAt: true },
  });
  return { ...voucher, code };
}

const INVALID = "That code is not valid. Check it and try again.";
const ALREADY_REDEEMED = "You have already redeemed this code.";

/**
 * Redeems a voucher for one user: at most once per account and never past its use limit, even
 * when many redeem at once (the use counter is a guarded update, the redemption a unique row, and
 * both commit with the ledger row or not at all). Unknown, expired and used-up codes all answer the
 * same, so wrong guesses learn nothing about which codes exist.
 */
export async function redeemVoucher(userId: string, code: string, clientIp: string | null) {
  const wait = (s: number) => `Too many tries. Try again in ${formatWait(s)}.`;
  const perHour = env.VOUCHER_ATTEMPTS_PER_HOUR;
  await limiterFor({ keyPrefix: "voucher-user", points: perHour, durationSeconds: 3600 }).consume(
    userId,
    wait,
  );
  if (clientIp) {
    await limiterFor({ keyPrefix: "voucher-ip", points: perHour * 3, durationSeconds: 3600 }).consume(
      clientIp,
      wait,
    );
  }

  const normalized = normalizeVoucherCode(code);
  if (normalized.length !== CODE_LENGTH) throw new AppError("invalid_input", INVALID);
  try {
    return await getDb().$transaction(async (tx) => {
      const [voucher] = await tx.$queryRaw<{ id: string; credits: number }[]>`
        UPDATE "Voucher" SET "uses" = "uses" + 1
        WHERE "codeHash" = ${hashCode(normalized)} AND "uses" < "maxUses"
          AND ("expiresAt" IS NULL OR "expiresAt" > now())
        RETURNING "id", "credits"`;
      if (!voucher) {
        // Its last use may have been this account's own: say so rather than "not valid".
        const own = await tx.voucherRedemption.count({
          where: { userId, voucher: { codeHash: hashCode(normalized) } },
        });
        if (own > 0) throw new AppError("conflict", ALREADY_REDEEMED);
        throw new AppError("invalid_input", INVALID);
      }
      await tx.voucherRedemption.create({ data: { voucherId: voucher.id, userId } });
      const moved = await applyMovement(tx, {
        userId,
        amount: voucher.credits,
        reason: "voucher",
        idempotencyKey: `voucher:${voucher.id}:${userId}`,
        note: "Voucher redeemed",
      });
      if (!moved.applied) throw new AppError("conflict", ALREADY_REDEEMED);
      return { credits: voucher.credits, balance: moved.balance };
    }, TX_OPTIONS);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", ALREADY_REDEEMED);
    }
    throw error;
  }
}
