import "server-only";

import { randomUUID } from "node:crypto";

import { z } from "zod";

import { ID_PATTERN } from "@/lib/ids";

import { createVoucher } from "@/server/billing/vouchers";
import { applyMovement, takeBackUpTo, TX_OPTIONS } from "@/server/credits/ledger";
import { getDb } from "@/server/db/client";
import { resellerSwitchesChanged } from "@/server/providers/registry";

import { setRole, signOutEverywhere, suspendAccount, unsuspendAccount } from "./account-commands";
import { writeAudit } from "./audit";
import {
  priorityField,
  resellerField,
  resellersForAdmin,
  setResellerEnabled,
  setResellerPriority,
} from "./resellers";
import { AdminCommandError } from "./errors";
import { failLostJob, pollJobNow, refundStuckJob } from "./job-commands";
import { getJobForAdmin, jobFilterSchema, listJobs } from "./jobs";

export { AdminCommandError };

const credits = z.coerce
  .number()
  .int("--credits must be a whole number")
  .positive("--credits must be positive")
  .max(1_000_000);
const email = z
  .string({ error: "--email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email("--email must be an email address"));
const reason = z
  .string({ error: "--reason must say why (3 characters or more)" })
  .trim()
  .min(3, "--reason must say why (3 characters or more)")
  .max(200);
const optionalReason = z
  .string()
  .trim()
  .max(200)
  .transform((v) => v || undefined)
  .optional();

const jobId = z
  .string({ error: "Give the job's id" })
  .trim()
  .regex(ID_PATTERN, "The job id is not valid (letters, digits, - and _ only)");

/** The fields commands share, for /admin's actions to parse the same input the CLI does. */
export const commandFields = {
  email,
  credits,
  reason,
  optionalReason,
  jobId,
  reseller: resellerField,
  priority: priorityField,
};

/** Every operator command, as the CLI sends it (locally or to the running studio). */
export const adminCommandSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("grant"), email, credits, reason }),
  z.object({ command: z.literal("revoke"), email, credits, reason }),
  z.object({ command: z.literal("promote"), email, reason: optionalReason }),
  z.object({ command: z.literal("demote"), email, reason: optionalReason }),
  z.object({ command: z.literal("suspend"), email, reason }),
  z.object({ command: z.literal("unsuspend"), email, reason: optionalReason }),
  z.object({ command: z.literal("sign-out"), email, reason: optionalReason }),
  jobFilterSchema.extend({ command: z.literal("jobs-list") }),
  z.object({ command: z.literal("job-show"), id: jobId }),
  z.object({ command: z.literal("job-refund"), id: jobId, reason: optionalReason }),
  z.object({ command: z.literal("job-poll"), id: jobId }),
  z.object({ command: z.literal("job-fail"), id: jobId, reason }),
  z.object({ command: z.literal("reseller-list") }),
  z.object({ command: z.literal("reseller-enable"), reseller: resellerField, reason: optionalReason }),
  z.object({ command: z.literal("reseller-disable"), reseller: resellerField, reason: optionalReason }),
  z.object({
    command: z.literal("reseller-priority"),
    reseller: resellerField,
    priority: priorityField,
    reason: optionalReason,
  }),
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

/**
 * Runs one operator command and returns what it did. `operator` says who ran it (an admin's user id
 * or "cli:<name>"); it is written into every ledger row and voucher the command makes, and every
 * command that touches an account writes an audit row in the same transaction.
 */
export async function runAdminCommand(
  command: AdminCommand,
  operator: string,
): Promise<Record<string, unknown>> {
  switch (command.command) {
    case "grant": {
      const user = await userByEmail(command.email);
      const note = `${command.reason} (by ${operator})`;
      const balance = await getDb().$transaction(async (tx) => {
        const result = await applyMovement(tx, {
          userId: user.id,
          amount: command.credits,
          reason: "grant",
          idempotencyKey: `admin-grant:${randomUUID()}`,
          note,
        });
        const after = result.applied ? result.balance : null;
        await writeAudit(tx, {
          actor: operator,
          action: "grant",
          targetUserId: user.id,
          before: { credits: after === null ? null : after - command.credits },
          after: { credits: after, granted: command.credits },
          reason: command.reason,
        });
        return after;
      }, TX_OPTIONS);
      return { granted: command.credits, email: command.email, balance };
    }
    case "revoke": {
      const user = await userByEmail(command.email);
      const { taken, balance } = await getDb().$transaction(async (tx) => {
        const taken = await takeBackUpTo(tx, {
          userId: user.id,
          upTo: command.credits,
          idempotencyKey: `admin-revoke:${randomUUID()}`,
          note: `${command.reason} (by ${operator})`,
        });
        const { credits: balance } = await tx.user.findUniqueOrThrow({
          where: { id: user.id },
          select: { credits: true },
        });
        await writeAudit(tx, {
          actor: operator,
          action: "revoke",
          targetUserId: user.id,
          before: { credits: balance + taken },
          after: { credits: balance, revoked: taken, asked: command.credits },
          reason: command.reason,
        });
        return { taken, balance };
      }, TX_OPTIONS);
      return { revoked: taken, asked: command.credits, email: command.email, balance };
    }
    case "promote":
    case "demote":
      return setRole(
        operator,
        command.email,
        command.command === "promote" ? "admin" : "user",
        command.reason,
      );
    case "suspend":
      return suspendAccount(operator, command.email, command.reason);
    case "unsuspend":
      return unsuspendAccount(operator, command.email, command.reason);
    case "sign-out":
      return signOutEverywhere(operator, command.email, command.reason);
    case "jobs-list": {
      const { command: _, ...filter } = command;
      return listJobs(filter);
    }
    case "job-show": {
      const found = await getJobForAdmin(command.id);
      if (!found) throw new AdminCommandError(`No job has the id ${command.id}.`);
      return found;
    }
    case "job-refund":
      return refundStuckJob(operator, command.id, command.reason);
    case "job-poll":
      return pollJobNow(operator, command.id);
    case "job-fail":
      return failLostJob(operator, command.id, command.reason);
    case "reseller-list":
      return { resellers: await resellersForAdmin() };
    case "reseller-enable":
    case "reseller-disable":
      return switched(
        setResellerEnabled(
          getDb(),
          operator,
          command.reseller,
          command.command === "reseller-enable",
          command.reason,
        ),
      );
    case "reseller-priority":
      return switched(
        setResellerPriority(getDb(), operator, command.reseller, command.priority, command.reason),
      );
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
      await writeAudit(getDb(), {
        actor: operator,
        action: "voucher_create",
        after: {
          voucherId: voucher.id,
          credits: voucher.credits,
          uses: voucher.maxUses,
          expires: voucher.expiresAt?.toISOString() ?? null,
        },
        reason: command.note,
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

/** A switch committed here is honoured by this instance's next submit; other instances read it within 2 s. */
async function switched<T>(change: Promise<T>): Promise<T> {
  const result = await change;
  resellerSwitchesChanged();
  return result;
}

async function userByEmail(address: string) {
  const user = await getDb().user.findUnique({
    where: { email: address },
    select: { id: true },
  });
  if (!user) throw new AdminCommandError(`No account has the email ${address}.`);
  return user;
}
