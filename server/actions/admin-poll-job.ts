"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ id: f.jobId });

/**  */
export const adminPollJob = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "job-poll", ...data }, user.id),
  { authorize: isAdmin },
);
