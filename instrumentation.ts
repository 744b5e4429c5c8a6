// Runs once when a server process starts: the background poller and sweeper live here, in the
// Node.js runtime only.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/server/env");
  if (!env.POLLER_ENABLED) return;
  const { startPoller } = await import("@/server/generations/poller");
  await startPoller(env.POLLER_INTERVAL_MS);
}
