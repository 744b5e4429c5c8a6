import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { emulatorEnvSchema } from "@/emulator/env";
import { envSchema, parseEnv, usesEmulator } from "@/server/env";

const SECRETS = {
  AUTH_SECRET: "a".repeat(32),
  MEDIA_SIGNING_SECRET: "b".repeat(32),
};

describe("server env", () => {
  it("serves the embedded studio with nothing but the generated secrets", () => {
    const env = parseEnv(SECRETS);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SIGNUP_CREDITS).toBe(50);
    expect(env.RATE_LIMIT_SUBMITS_PER_MINUTE).toBe(10);
    expect(env.MAX_JOBS_IN_FLIGHT).toBe(4);
    expect(usesEmulator(env)).toBe(true);
  });

  it("stops with a message naming each malformed variable", () => {
    const bad = () =>
      parseEnv({ ...SECRETS, DATABASE_URL: "mysql://x", SIGNUP_CREDITS: "lots", APP_URL: "not a url" });
    expect(bad).toThrowError(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(bad).toThrowError(/SIGNUP_CREDITS: /);
    expect(bad).toThrowError(/APP_URL: /);
    expect(() => parseEnv({ MEDIA_SIGNING_SECRET: "b".repeat(32) })).toThrowError(/AUTH_SECRET: is required/);
    expect(() => parseEnv({ ...SECRETS, AUTH_SECRET: "short" })).toThrowError(
      /AUTH_SECRET: must be at least 32/,
    );
  });

  it("prices each reseller's job for the spend estimate: Pixazo's $0.06 by default, the others unset", () => {
    const env = parseEnv(SECRETS);
    expect([
      env.PRICE_USD_PIXAZO,
      env.PRICE_USD_APIFRAME,
      env.PRICE_USD_REVE2IMG,
      env.PRICE_USD_REVEART,
    ]).toEqual([0.06, undefined, undefined, undefined]);
    expect(parseEnv({ ...SECRETS, PRICE_USD_APIFRAME: "0.04", PRICE_USD_PIXAZO: "" })).toMatchObject({
      PRICE_USD_APIFRAME: 0.04,
      PRICE_USD_PIXAZO: 0.06,
    });
    expect(() => parseEnv({ ...SECRETS, PRICE_USD_REVEART: "cheap" })).toThrowError(
      /PRICE_USD_REVEART: must be a price in US dollars/,
    );
    expect(() => parseEnv({ ...SECRETS, PRICE_USD_REVEART: "-1" })).toThrowError(/PRICE_USD_REVEART: /);
  });

  it("switches the emulator off as soon as one reseller key is set", () => {
    expect(usesEmulator(parseEnv({ ...SECRETS, APIFRAME_API_KEY: "afk_live" }))).toBe(false);
    expect(usesEmulator(parseEnv({ ...SECRETS, APIFRAME_API_KEY: "afk_live", REVE_EMULATOR: "on" }))).toBe(
      true,
    );
  });

  it(".env.example documents every variable the server and the emulator read", () => {
    const documented = new Set(
      readFileSync(".env.example", "utf8")
        .split("\n")
        .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
        .filter(Boolean),
    );
    const read = [...Object.keys(envSchema.shape), ...Object.keys(emulatorEnvSchema.shape)].filter(
      (name) => name !== "NODE_ENV",
    );
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });
});
