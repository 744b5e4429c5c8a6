"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ id: f.jobId, reason: f.optionalReason });

/** Refunds a job stuck past its deadline from /admin: the sweeper's own failure and refund, once. */
export const adminRefundJob = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "job-refund", ...data }, user.id),
  { authorize: isAdmin },
);
