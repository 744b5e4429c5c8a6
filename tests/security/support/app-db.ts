import type { PrismaClient } from "@/server/db/generated/client";

// server/db/client.ts keeps one client on globalThis and reads it when it first loads. Importing this
// module first (before anything that loads the app's `db`) puts a stand-in there that forwards to
// whichever test database `useAppDb` names, so route handlers, actions and limiters all use it.

let current: PrismaClient | undefined;
const holder = globalThis as unknown as { reveStudioDb?: PrismaClient };
holder.reveStudioDb ??= new Proxy({} as PrismaClient, {
  get(_target, prop) {
    if (!current) throw new Error("No test database installed: call useAppDb() first.");
    const value: unknown = Reflect.get(current, prop, current);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(current) : value;
  },
});

export function useAppDb(db: PrismaClient): void {
  current = db;
}
