import "server-only";

import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";

export interface AccountSummary {
  id: string;
  email: string | null;
  name: string | null;
  credits: number;
}

export async function getAccount(userId: string): Promise<AccountSummary> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, credits: true },
  });
  if (!user) throw new AppError("unauthorized", "Your account no longer exists. Sign in again.");
  return user;
}
