// Runs once when a server process starts: the admin CLI's loopback listener and the background
// poller and sweeper live here, in the Node.js runtime only.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/server/env");
  // PGlite admits one process: the admin CLI reaches this one over loopback instead of the folder.
  if (!env.DATABASE_URL) {
    const { startAdminListener } = await import("@/server/admin/loopback");
    await startAdminListener(env.DATA_DIR);
  }
  // The studio starts whatever the providers' configuration; it names what is off or at risk.
  const { getProviderRegistry } = await import("@/server/providers/registry");
  const { logConfigurationProblems } = await import("@/server/providers/doctor");
  logConfigurationProblems(getProviderRegistry().config, env);
  // A shutdown answers every open long poll at once instead of holding it for its wait.
  const { endWaitsOnShutdown } = await import("@/server/generations/changes");
  endWaitsOnShutdown();
  if (!env.POLLER_ENABLED) return;
  const { startPoller } = await import("@/server/generations/poller");
  await startPoller(env.POLLER_INTERVAL_MS);
}
