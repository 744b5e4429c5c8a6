import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { parseEnv } from "@/server/env";
import { providerConfigFromEnv } from "@/server/providers/config";
import { isProviderError } from "@/server/providers/http-client";
import { createProviderRegistry, outboundLimiterFor } from "@/server/providers/registry";

import { rejectionOf } from "../contract/support/emulator";
import { createTestDb, DB_KINDS, type TestDb } from "../helpers/test-db";

// reve-art documents 10 requests a minute. Two instances (two registries, as two processes build
// them) share one database: together they never send it more than 10 in the limiter's window.
// The slot wait is 0, so nothing here depends on the clock: the eleventh request onward is held
// back at once, all within the same minute-long window.

describe.each(DB_KINDS)("outbound limits on %s", (kind) => {
  let t: TestDb;
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    t = await createTestDb(kind);
    emulator = await startEmulator({ jobMs: 60_000 });
  });
  afterAll(async () => {
    await emulator?.close();
    await t?.close();
  });

  const instance = (vars: Record<string, string> = {}) => {
    const config = providerConfigFromEnv(
      parseEnv({
        AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
        MEDIA_SIGNING_SECRET: "test-media-secret-0123456789abcdef0123456789",
        REVE_EMULATOR: "off",
        REVEART_API_KEY: "emu-reveart-key",
        REVEART_BASE_URL: `${emulator.url}/reveart`,
        PROVIDER_SLOT_WAIT_MS: "0",
        ...vars,
      }),
    );
    return createProviderRegistry(config, {
      limiter: outboundLimiterFor(config, t.db),
      retry: { attempts: 1 },
    });
  };

  it("reve-art gets at most 10 calls a minute, counted across two instances", async () => {
    const [a, b] = [instance(), instance()];
    expect(a.config.reveart.requestsPerMinute).toBe(10);
    emulator.clearRequests();
    const outcomes: string[] = [];
    const first = await a.get("reveart").submit("create", { prompt: "one" });
    for (let i = 0; i < 15; i++) {
      const registry = i % 2 === 0 ? a : b;
      const call =
        i % 3 === 0
          ? registry.get("reveart").submit("create", { prompt: `job ${i}` })
          : registry.get("reveart").getStatus(first.providerJobId);
      outcomes.push(
        await call.then(
          () => "sent",
          (error: unknown) => (isProviderError(error) && error.kind === "limit" ? "held" : "other"),
        ),
      );
    }
    const sent = emulator.requests().filter((r) => r.provider === "reveart");
    expect(sent).toHaveLength(10);
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(9);
    expect(outcomes.filter((o) => o === "held")).toHaveLength(6);
  });

  it("a held-back submit is a certain refusal: not ambiguous, so Auto may fail over", async () => {
    const c = instance({ REVEART_REQUESTS_PER_MINUTE: "1" });
    // Spends the one slot of this minute (if an earlier request has not already).
    await c
      .get("reveart")
      .getStatus("img_none")
      .catch(() => undefined);
    const error = await c
      .get("reveart")
      .submit("create", { prompt: "late" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: "rate_limited", kind: "limit", ambiguous: false });
  });

  it("a 429's Retry-After holds every instance back, not only the one that met it", async () => {
    const [a, b] = [
      instance({ REVEART_REQUESTS_PER_MINUTE: "100000" }),
      instance({ REVEART_REQUESTS_PER_MINUTE: "100000" }),
    ];
    expect(
      await rejectionOf(a.get("reveart").submit("create", { prompt: "x [emu:429][emu:retryafter=120]" })),
    ).toMatchObject({
      code: "rate_limited",
      httpStatus: 429,
      retryAfterMs: 120_000,
    });
    emulator.clearRequests();
    expect(await rejectionOf(b.get("reveart").getStatus("img_any"))).toMatchObject({ kind: "limit" });
    expect(emulator.requests()).toHaveLength(0);
  });
});
