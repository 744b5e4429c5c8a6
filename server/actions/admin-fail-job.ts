"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ id: f.jobId, reason: f.reason });

/** Fails and refunds a job the operator knows is lost, from /admin. */
export const adminFailJob = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "job-fail", ...data }, user.id),
  { authorize: isAdmin },
);
