import "server-only";

import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from "@/lib/domain";
import { usesEmulator, type Env } from "@/server/env";

interface BaseProviderConfig {
  enabled: boolean;
  /** Why a provider is off, for the operator; never contains a key. */
  disabledReason?: string;
  apiKey?: string;
  baseUrl: string;
  timeoutMs: number;
  /** Outbound requests a minute, across every instance; undefined: no limit of ours. */
  requestsPerMinute?: number;
}

export interface PixazoConfig extends BaseProviderConfig {
  /** The gateway can fetch our signed input URLs (see `providerConfigFromEnv`). */
  inputsReachable: boolean;
  paths: { edit: string; remix: string; status: string };
  versions: { edit?: string; remix?: string };
  webhookMode: "terminal" | "sync";
}

export interface ApiframeConfig extends BaseProviderConfig {
  paths: { generate: string; status: string };
  model: string;
}

export interface Reve2imgConfig extends BaseProviderConfig {
  /** The reseller can fetch our signed input URLs (see `providerConfigFromEnv`). */
  inputsReachable: boolean;
  paths: { generate: string; status: string };
  /** Edit and remix exist only when a model that accepts `image_urls` is configured. */
  models: { create?: string; edit?: string; remix?: string };
}

export interface ReveartConfig extends BaseProviderConfig {
  paths: { generate: string; status: string };
  async: boolean;
}

export interface ProvidersConfig {
  emulator: boolean;
  /** How long a request waits for an outbound slot. */
  slotWaitMs: number;
  priority: ProviderId[];
  pixazo: PixazoConfig;
  apiframe: ApiframeConfig;
  reve2img: Reve2imgConfig;
  reveart: ReveartConfig;
}

/** The keys the local emulator accepts by default. */
export const EMULATOR_KEYS: Record<ProviderId, string> = {
  pixazo: "emu-pixazo-key",
  apiframe: "emu-apiframe-key",
  reve2img: "sk-emu-reve2img-key",
  reveart: "emu-reveart-key",
};

const KEY_VARS: Record<ProviderId, string> = {
  pixazo: "PIXAZO_API_KEY",
  apiframe: "APIFRAME_API_KEY",
  reve2img: "REVE2IMG_API_KEY",
  reveart: "REVEART_API_KEY",
};

export function providerConfigFromEnv(env: Env): ProvidersConfig {
  const emulator = usesEmulator(env);
  const perMinute: Record<ProviderId, number | undefined> = {
    pixazo: env.PIXAZO_REQUESTS_PER_MINUTE,
    apiframe: env.APIFRAME_REQUESTS_PER_MINUTE,
    reve2img: env.REVE2IMG_REQUESTS_PER_MINUTE,
    // The documented "10 requests per minute"; the emulator has its own switch for it.
    reveart: env.REVEART_REQUESTS_PER_MINUTE ?? (emulator ? undefined : 10),
  };
  // Edit and remix send our signed input URLs. A reseller on the internet can fetch them only from
  // a public https APP_URL; one on this machine or network (the emulator, a local fake) can fetch
  // them from anywhere we can.
  const inputsReachable = (baseUrl: string) => isPublicHttps(env.APP_URL) || !isPublicHttps(baseUrl);
  const base = (id: ProviderId, enabledVar: boolean, key: string | undefined, baseUrl: string) => {
    const apiKey = key ?? (emulator ? EMULATOR_KEYS[id] : undefined);
    const disabledReason = !enabledVar
      ? `${id.toUpperCase()}_ENABLED is false`
      : apiKey === undefined
        ? `${KEY_VARS[id]} is not set`
        : undefined;
    return {
      enabled: disabledReason === undefined,
      ...(disabledReason ? { disabledReason } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      baseUrl: trimSlash(emulator ? `http://127.0.0.1:${env.EMULATOR_PORT}/${id}` : baseUrl),
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
      ...(perMinute[id] !== undefined ? { requestsPerMinute: perMinute[id] } : {}),
    };
  };

  const pixazo = base("pixazo", env.PIXAZO_ENABLED, env.PIXAZO_API_KEY, env.PIXAZO_BASE_URL);
  const reve2img = base("reve2img", env.REVE2IMG_ENABLED, env.REVE2IMG_API_KEY, env.REVE2IMG_BASE_URL);
  return {
    emulator,
    slotWaitMs: env.PROVIDER_SLOT_WAIT_MS,
    priority: [...env.PROVIDER_PRIORITY],
    pixazo: {
      ...pixazo,
      inputsReachable: inputsReachable(pixazo.baseUrl),
      paths: { edit: env.PIXAZO_EDIT_PATH, remix: env.PIXAZO_REMIX_PATH, status: env.PIXAZO_STATUS_PATH },
      versions: { edit: env.PIXAZO_EDIT_VERSION, remix: env.PIXAZO_REMIX_VERSION },
      webhookMode: env.PIXAZO_WEBHOOK_MODE,
    },
    apiframe: {
      ...base("apiframe", env.APIFRAME_ENABLED, env.APIFRAME_API_KEY, env.APIFRAME_BASE_URL),
      paths: { generate: env.APIFRAME_GENERATE_PATH, status: env.APIFRAME_STATUS_PATH },
      model: env.APIFRAME_MODEL,
    },
    reve2img: {
      ...reve2img,
      inputsReachable: inputsReachable(reve2img.baseUrl),
      paths: { generate: env.REVE2IMG_GENERATE_PATH, status: env.REVE2IMG_STATUS_PATH },
      models: {
        create: env.REVE2IMG_CREATE_MODEL ?? (emulator ? "reve-image" : undefined),
        edit: env.REVE2IMG_EDIT_MODEL ?? (emulator ? "reve-edit" : undefined),
        remix: env.REVE2IMG_REMIX_MODEL ?? (emulator ? "reve-remix" : undefined),
      },
    },
    reveart: {
      ...base("reveart", env.REVEART_ENABLED, env.REVEART_API_KEY, env.REVEART_BASE_URL),
      paths: { generate: env.REVEART_GENERATE_PATH, status: env.REVEART_STATUS_PATH },
      async: env.REVEART_ASYNC,
    },
  };
}

export interface ProviderDescription {
  id: ProviderId;
  label: string;
  enabled: boolean;
  reason?: string;
  baseUrl: string;
  /** Only whether a key is configured; no part of it is ever shown. */
  key: "set" | "missing";
  emulator: boolean;
}

/** The operator's view of the configuration, safe to print. */
export function describeProviders(config: ProvidersConfig): ProviderDescription[] {
  return PROVIDER_IDS.map((id) => {
    const c = config[id];
    return {
      id,
      label: PROVIDER_LABELS[id],
      enabled: c.enabled,
      ...(c.disabledReason ? { reason: c.disabledReason } : {}),
      baseUrl: c.baseUrl,
      key: c.apiKey ? "set" : "missing",
      emulator: config.emulator,
    };
  });
}

/** https on a name that is not this machine or a private network. */
export function isPublicHttps(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol !== "https:") return false;
    return !/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.0\.0\.0|\[::1\]|.*\.local$|.*\.internal$)/i.test(
      hostname,
    );
  } catch {
    return false;
  }
}

/** Joins a base URL and a path template, filling `{id}` with the encoded job id. */
export function buildUrl(baseUrl: string, path: string, id?: string): string {
  const filled = id === undefined ? path : path.replaceAll("{id}", encodeURIComponent(id));
  return `${trimSlash(baseUrl)}${filled.startsWith("/") ? "" : "/"}${filled}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
