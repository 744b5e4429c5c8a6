"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ email: f.email, reason: f.optionalReason });

/** Lifts an account's suspension from /admin. */
export const adminUnsuspendUser = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "unsuspend", ...data }, user.id),
  { authorize: isAdmin },
);
