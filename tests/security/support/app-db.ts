import { setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";

/** Makes `db` the app's database: route handlers, actions and limiters use it from now on. */
export function useAppDb(db: PrismaClient): void {
  setDb(db);
}
