"use server";

import "server-only";

import { shareRefSchema } from "@/lib/shares";
import { authedAction } from "@/server/action";
import { revokeShare } from "@/server/shares/shares";

/** Revokes one of the user's links: from then on it answers 404. */
export const revokeShareAction = authedAction(shareRefSchema, async ({ id }, user) =>
  revokeShare(user.id, id),
);
