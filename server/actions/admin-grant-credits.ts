"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ email: f.email, credits: f.credits, reason: f.reason });

/** Grants credits from /admin: the CLI's ledger path, audited with the admin's id. */
export const adminGrantCredits = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "grant", ...data }, user.id),
  { authorize: isAdmin },
);
