"use server";

import "server-only";

import { z } from "zod";

import { shareTargetSchema } from "@/lib/shares";
import { authedAction } from "@/server/action";
import { listShares } from "@/server/shares/shares";

/** The user's live links to one of their images or collections, for the Share dialog. */
export const listSharesAction = authedAction(
  z.object({ target: shareTargetSchema }),
  async ({ target }, user) => listShares(user.id, target),
);
