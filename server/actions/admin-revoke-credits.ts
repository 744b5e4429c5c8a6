"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ email: f.email, credits: f.credits, reason: f.reason });

/** Takes credits back from /admin (never below zero), audited with the admin's id. */
export const adminRevokeCredits = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "revoke", ...data }, user.id),
  { authorize: isAdmin },
);
