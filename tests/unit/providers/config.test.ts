import { configFromVars } from "../../contract/support/config";

import { describe, expect, it } from "vitest";

import { describeProviders } from "@/server/providers/config";

describe("provider configuration", () => {
  it("points every provider at the emulator, with its keys, when no reseller key is set", () => {
    const config = configFromVars({ EMULATOR_PORT: "4123" });
    expect(config.emulator).toBe(true);
    expect(config.pixazo).toMatchObject({
      enabled: true,
      apiKey: "emu-pixazo-key",
      baseUrl: "http://127.0.0.1:4123/pixazo",
      paths: { edit: "/reve-image/v1/image-edit", remix: "/reve-image/v1/image-edit-remix" },
      webhookMode: "terminal",
    });
    expect(config.apiframe).toMatchObject({
      apiKey: "emu-apiframe-key",
      baseUrl: "http://127.0.0.1:4123/apiframe",
    });
    expect(config.reve2img).toMatchObject({
      apiKey: "sk-emu-reve2img-key",
      baseUrl: "http://127.0.0.1:4123/reve2img",
      models: { create: "reve-image", edit: "reve-edit", remix: "reve-remix" },
    });
    expect(config.reveart).toMatchObject({
      apiKey: "emu-reveart-key",
      baseUrl: "http://127.0.0.1:4123/reveart",
      async: true,
    });
  });

  it("uses the documented endpoints and disables providers without a key outside the emulator", () => {
    const config = configFromVars({ PIXAZO_API_KEY: "pk", PIXAZO_EDIT_VERSION: "reve-edit@20250915" });
    expect(config.emulator).toBe(false);
    expect(config.pixazo).toMatchObject({
      enabled: true,
      apiKey: "pk",
      baseUrl: "https://gateway.pixazo.ai",
      versions: { edit: "reve-edit@20250915" },
    });
    expect(config.apiframe).toMatchObject({ enabled: false, disabledReason: "APIFRAME_API_KEY is not set" });
    expect(config.apiframe.apiKey).toBeUndefined();
    // No model id is documented, so none is invented: an unset model turns its operation off.
    expect(config.reve2img.models).toEqual({ create: undefined, edit: undefined, remix: undefined });
    expect(config.reveart.baseUrl).toBe("https://api.reve-art.com");
  });

  it("honours a key, a base URL and an ENABLED flag", () => {
    const config = configFromVars({
      REVE_EMULATOR: "off",
      REVEART_API_KEY: "rk",
      REVEART_BASE_URL: "https://reve-art.example/",
      REVEART_ENABLED: "false",
      PROVIDER_TIMEOUT_MS: "1234",
    });
    expect(config.reveart).toMatchObject({
      enabled: false,
      disabledReason: "REVEART_ENABLED is false",
      baseUrl: "https://reve-art.example",
      timeoutMs: 1234,
    });
  });

  it("describes the configuration without any part of a key", () => {
    const key = "sk-SENTINEL-KEY-123";
    const described = describeProviders(configFromVars({ REVE2IMG_API_KEY: key }));
    expect(described.find((d) => d.id === "reve2img")).toEqual({
      id: "reve2img",
      label: "reve2img",
      enabled: true,
      baseUrl: "https://reve2img.com",
      key: "set",
      emulator: false,
    });
    expect(described.find((d) => d.id === "pixazo")).toMatchObject({
      enabled: false,
      key: "missing",
      reason: "PIXAZO_API_KEY is not set",
    });
    const text = JSON.stringify(described);
    expect(text).not.toContain("SENTINEL");
    expect(text).not.toContain("123");
  });
});
