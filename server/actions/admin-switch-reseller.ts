"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { commandFields as f, runAdminCommand } from "@/server/admin/commands";
import { isAdmin } from "@/server/admin/roles";

const input = z.object({
  reseller: f.reseller,
  enabled: z.enum(["on", "off"], { error: "Say whether the reseller is to be on or off." }),
  reason: f.optionalReason,
});

/** Takes a reseller out of routing, or back in, on every instance within seconds. */
export const adminSwitchReseller = authedAction(
  input,
  async ({ reseller, enabled, reason }, user) =>
    runAdminCommand(
      { command: enabled === "on" ? "reseller-enable" : "reseller-disable", reseller, reason },
      user.id,
    ),
  { authorize: isAdmin },
);
