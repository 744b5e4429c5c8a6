import "server-only";

import { randomUUID } from "node:crypto";

import { z } from "zod";

import { createVoucher } from "@/server/billing/vouchers";
import { grantCredits, takeBackUpTo, TX_OPTIONS } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";

const credits = z.coerce
  .number()
  .int("--credits must be a whole number")
  .positive("--credits must be positive")
  .max(1_000_000);
const email = z.string().trim().toLowerCase().pipe(z.email("--email must be an email address"));
const reason = z.string().trim().min(3, "--reason must say why (3 characters or more)").max(200);

/** Every operator command, as the CLI sends it (locally or to the running studio). */
export const adminCommandSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("grant"), email, credits, reason }),
  z.object({ command: z.literal("revoke"), email, credits, reason }),
  z.object({
    command: z.literal("voucher-create"),
    credits,
    uses: z.coerce
      .number()
      .int("--uses must be a whole number")
      .positive("--uses must be positive")
      .max(10_000_000),
    expires: z.iso.date("--expires must be a date like 2027-01-31").optional(),
    note: z.string().trim().max(200).optional(),
  }),
]);
export type AdminCommand = z.infer<typeof adminCommandSchema>;

export class AdminCommandError extends Error {}

/**
 * Runs one operator command and returns what it did. `operator` says who ran it; it is written into
 * every ledger row and voucher the command makes.
 */
export async function runAdminCommand(
  command: AdminCommand,
  operator: string,
): Promise<Record<string, unknown>> {
  switch (command.command) {
    case "grant": {
      const user = await userByEmail(command.email);
      const result = await grantCredits(getDb(), {
        userId: user.id,
        amount: command.credits,
        idempotencyKey: `admin-grant:${randomUUID()}`,
        note: `${command.reason} (by ${operator})`,
      });
      return {
        granted: command.credits,
        email: command.email,
        balance: result.applied ? result.balance : null,
      };
    }
    case "revoke": {
      const user = await userByEmail(command.email);
      const taken = await getDb().$transaction(
        (tx) =>
          takeBackUpTo(tx, {
            userId: user.id,
            upTo: command.credits,
            idempotencyKey: `admin-revoke:${randomUUID()}`,
            note: `${command.reason} (by ${operator})`,
          }),
        TX_OPTIONS,
      );
      const after = await getDb().user.findUniqueOrThrow({
        where: { id: user.id },
        select: { credits: true },
      });
      return { revoked: taken, asked: command.credits, email: command.email, balance: after.credits };
    }
    case "voucher-create": {
      const expiresAt = command.expires ? new Date(`${command.expires}T23:59:59.999Z`) : undefined;
      if (expiresAt && expiresAt.getTime() <= Date.now())
        throw new AdminCommandError("--expires must be in the future.");
      const voucher = await createVoucher({
        credits: command.credits,
        maxUses: command.uses,
        expiresAt,
        note: command.note,
        createdBy: operator,
      });
      return {
        code: voucher.code,
        credits: voucher.credits,
        uses: voucher.maxUses,
        expires: voucher.expiresAt?.toISOString() ?? null,
        warning: "The code is shown only now; it is stored as a hash.",
      };
    }
  }
}

async function userByEmail(address: string) {
  const user = await getDb().user.findUnique({ where: { email: address }, select: { id: true } });
  if (!user) throw new AdminCommandError(`No account has the email ${address}.`);
  return user;
}
