"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({ reseller: f.reseller, priority: f.priority, reason: f.optionalReason });

/** Sets a reseller's place in Auto's order (lower first), or clears it with an empty value. */
export const adminSetResellerPriority = authedAction(
  input,
  async (data, user) => runAdminCommand({ command: "reseller-priority", ...data }, user.id),
  { authorize: isAdmin },
);
