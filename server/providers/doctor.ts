import "server-only";

import { PROVIDER_IDS, type ProviderId } from "@/lib/domain";
import type { Env } from "@/server/env";

import { describeProviders, isPublicHttps, type ProvidersConfig } from "./config";
import { isProviderError } from "./http-client";
import type { ProviderRegistry } from "./registry";

// What an operator needs to know before real money moves: each reseller's configuration, what
// is off and why, and one request that creates nothing to prove the address and the key.

/** A job id no reseller can have issued: the status read of it creates and costs nothing. */
export const PROBE_JOB_ID = "reve-studio-doctor-probe-0000";

export interface ProbeResult {
  reachable: boolean;
  key: "accepted" | "refused" | "unknown";
  latencyMs: number;
  httpStatus?: number;
  detail: string;
}

/** Configuration problems, one sentence each; none of them contains a key. */
export function configurationLines(config: ProvidersConfig, env: Env): Record<ProviderId, string[]> {
  const lines = Object.fromEntries(PROVIDER_IDS.map((id) => [id, [] as string[]])) as Record<
    ProviderId,
    string[]
  >;
  for (const op of ["create", "edit", "remix"] as const) {
    if (!config.reve2img.models[op]) {
      lines.reve2img.push(
        `REVE2IMG_${op.toUpperCase()}_MODEL is not set: ${op} is off at reve2img (its document names no model id).`,
      );
    }
  }
  if (config.apiframe.model !== "reve-create") {
    lines.apiframe.push(`APIFRAME_MODEL "${config.apiframe.model}" is not the documented "reve-create".`);
  }
  for (const op of ["edit", "remix"] as const) {
    const version = config.pixazo.versions[op];
    const documented = ["latest", `reve-${op}@20250915`];
    if (version && !documented.includes(version)) {
      lines.pixazo.push(
        `PIXAZO_${op.toUpperCase()}_VERSION "${version}" is not a documented version (${documented.join(", ")}).`,
      );
    }
  }
  if (config.emulator) return lines;
  for (const id of ["pixazo", "reve2img"] as const) {
    if (config[id].apiKey && !config[id].inputsReachable) {
      lines[id].push(
        `APP_URL is not a public https URL: edit and remix are off at ${id}, which cannot fetch their input images.`,
      );
    }
  }
  const webhookBase = env.WEBHOOKS_ENABLED ? (env.WEBHOOK_BASE_URL ?? env.APP_URL) : undefined;
  for (const id of ["pixazo", "apiframe"] as const) {
    if (config[id].apiKey && webhookBase && !isPublicHttps(webhookBase)) {
      lines[id].push(
        `WEBHOOK_BASE_URL (or APP_URL) is not a public https URL: ${id} cannot call back; its jobs are polled.`,
      );
    }
  }
  return lines;
}

/** Reads the status of a job that cannot exist: a "not found" proves the address and the key. */
export async function probe(registry: ProviderRegistry, id: ProviderId): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    await registry.get(id).getStatus(PROBE_JOB_ID);
    return { reachable: true, key: "accepted", latencyMs: latency(), detail: "answered a status read" };
  } catch (error) {
    const latencyMs = latency();
    if (!isProviderError(error)) {
      return { reachable: false, key: "unknown", latencyMs, detail: "unexpected error" };
    }
    const status = error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {};
    if (error.kind === "network" || error.kind === "timeout") {
      return { reachable: false, key: "unknown", latencyMs, detail: error.message };
    }
    if (error.kind === "config")
      return { reachable: false, key: "unknown", latencyMs, detail: error.message };
    if (error.code === "provider_auth" || error.code === "provider_quota") {
      return { reachable: true, key: "refused", latencyMs, ...status, detail: error.message };
    }
    // Not found (or an id refused as invalid) is the answer an accepted key gets.
    if (
      error.httpStatus === 404 ||
      error.upstreamCode === "TASK_NOT_FOUND" ||
      error.code === "invalid_input"
    ) {
      return { reachable: true, key: "accepted", latencyMs, ...status, detail: "not found, as expected" };
    }
    return { reachable: true, key: "unknown", latencyMs, ...status, detail: error.message };
  }
}

/** The whole doctor report; `ok` is false when a configured reseller fails a check. */
export async function runDoctor(registry: ProviderRegistry, env: Env, only?: ProviderId) {
  const summary = registry.capabilitiesSummary();
  const lines = configurationLines(registry.config, env);
  const providers = await Promise.all(
    describeProviders(registry.config)
      .filter((p) => !only || p.id === only)
      .map(async (p) => {
        const configured = p.enabled && p.key === "set";
        const check = configured ? await probe(registry, p.id) : undefined;
        const problems = lines[p.id];
        const ok = !configured || (check?.reachable === true && check.key === "accepted");
        return {
          ...p,
          operations: Object.keys(summary.providers.find((s) => s.id === p.id)?.operations ?? {}),
          ...(check ? { check } : {}),
          ...(problems.length > 0 ? { warnings: problems } : {}),
          ok: ok && !problems.some((line) => line.startsWith("APP_URL")),
        };
      }),
  );
  return {
    ok: providers.every((p) => p.ok),
    emulator: registry.config.emulator,
    priority: summary.priority,
    providers,
  };
}

/** At start: one line per problem, naming what is off; the studio starts anyway. */
export function logConfigurationProblems(config: ProvidersConfig, env: Env): void {
  const lines = configurationLines(config, env);
  for (const id of PROVIDER_IDS) {
    if (!config[id].enabled && config[id].disabledReason && config[id].apiKey) {
      console.warn(`provider ${id}: off (${config[id].disabledReason}).`);
    }
    if (!config[id].enabled) continue;
    for (const line of lines[id]) console.warn(`provider ${id}: ${line}`);
  }
}
