"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ email: f.email, reason: f.reason });

/** Suspends an account from /admin: it keeps its gallery but cannot submit. */
export const adminSuspendUser = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "suspend", ...data }, user.id),
  { authorize: isAdmin },
);
