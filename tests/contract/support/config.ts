import "./test-env";

import { parseEnv } from "@/server/env";
import { providerConfigFromEnv, type ProvidersConfig } from "@/server/providers/config";

const SECRETS = {
  AUTH_SECRET: "test-auth-secret-at-least-32-characters-long",
  MEDIA_SIGNING_SECRET: "test-media-secret-at-least-32-characters-long",
};

/** A provider configuration from an environment given whole, independent of the process's. */
export function configFromVars(vars: Record<string, string>): ProvidersConfig {
  return providerConfigFromEnv(parseEnv({ ...SECRETS, ...vars }));
}

/** Every provider pointed at an emulator on `port` with its default keys. */
export function emulatorConfig(port: number, vars: Record<string, string> = {}): ProvidersConfig {
  return configFromVars({ REVE_EMULATOR: "on", EMULATOR_PORT: String(port), ...vars });
}
