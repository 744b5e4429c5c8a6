import type { EmulatorConfig, JobLogEntry, LoggedRequest, WebhookDelivery } from "@/emulator/server";

import { baseEnv, spawnNode, waitUntil, type Child } from "./child-process";

// The Reve emulator in a process of its own, so its request timestamps are not delayed by the load
// the bench itself generates. Its log and config are read through its admin endpoints.

export interface EmulatorProcess {
  url: string;
  port: number;
  child: Child;
  requests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  /** Every job the emulator keeps, with the moment it ended. */
  jobs(): Promise<JobLogEntry[]>;
  webhooks(): Promise<WebhookDelivery[]>;
  configure(patch: Partial<EmulatorConfig>): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const child = spawnNode(
    ["--import", "tsx", "emulator/main.ts"],
    { ...baseEnv(), EMULATOR_PORT: "0", EMULATOR_QUIET: "true", ...env },
    { label: "emulator" },
  );
  let url = "";
  try {
    await waitUntil(
      child,
      "The Reve emulator",
      async () => {
        const match = /listening on (http:\/\/[^\s]+)/.exec(child.output());
        if (match?.[1]) url = match[1];
        return url !== "" && (await fetch(`${url}/__emulator/health`)).ok;
      },
      30_000,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/__emulator/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    if (!response.ok) throw new Error(`Emulator ${method} ${path} answered ${response.status}.`);
    return response;
  };
  return {
    url,
    port: Number(new URL(url).port),
    child,
    requests: async () => (await (await admin("GET", "requests")).json()) as LoggedRequest[],
    clearRequests: async () => void (await admin("DELETE", "requests")),
    jobs: async () => (await (await admin("GET", "jobs")).json()) as JobLogEntry[],
    webhooks: async () => (await (await admin("GET", "webhooks")).json()) as WebhookDelivery[],
    configure: async (patch) => void (await admin("POST", "config", patch)),
    stop: () => child.stop(),
  };
}
