"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ email: f.email, reason: f.optionalReason });

/** Ends every session of an account from /admin. */
export const adminSignOutUser = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "sign-out", ...data }, user.id),
  { authorize: isAdmin },
);
