import { configFromVars, emulatorConfig } from "../../contract/support/config";

import { describe, expect, it } from "vitest";

import { createProviderRegistry } from "@/server/providers/registry";

const ids = (list: { id: string }[]) => list.map((p) => p.id);

function registry(vars: Record<string, string> = {}) {
  let now = 1_000_000;
  const clock = {
    advance: (ms: number) => {
      now += ms;
    },
  };
  const r = createProviderRegistry(emulatorConfig(4999, vars), { breaker: { now: () => now } });
  return { r, clock };
}

describe("registry routing", () => {
  it("offers, in priority order, every enabled provider able to serve the job", () => {
    const { r } = registry();
    expect(ids(r.candidates("create", { images: 0 }, "auto"))).toEqual(["apiframe", "reve2img", "reveart"]);
    expect(ids(r.candidates("edit", { images: 1 }, "auto"))).toEqual(["pixazo", "reve2img"]);
    expect(ids(r.candidates("remix", { images: 3, aspectRatio: "16:9" }, "auto"))).toEqual([
      "pixazo",
      "reve2img",
    ]);
  });

  it("turns edit and remix off at internet resellers that fetch inputs when APP_URL is not public https", () => {
    const real = (appUrl: string) =>
      createProviderRegistry(
        configFromVars({
          APP_URL: appUrl,
          PIXAZO_API_KEY: "pk",
          REVE2IMG_API_KEY: "rk",
          REVE2IMG_CREATE_MODEL: "m-create",
          REVE2IMG_EDIT_MODEL: "m-edit",
          REVE2IMG_REMIX_MODEL: "m-remix",
        }),
      );
    const local = real("http://localhost:3000");
    // The studio still starts: create stays on, and Auto finds nobody for edit rather than a
    // reseller that would fail every job on an input it cannot fetch.
    expect(ids(local.candidates("create", { images: 0 }, "auto"))).toEqual(["reve2img"]);
    expect(ids(local.candidates("edit", { images: 1 }, "auto"))).toEqual([]);
    expect(ids(local.candidates("remix", { images: 2 }, "auto"))).toEqual([]);
    expect(local.whyNot("edit", { images: 1 }, "pixazo")).toBeDefined();
    // A reseller on this machine (a local fake) reaches a private APP_URL as well as we do.
    const fake = createProviderRegistry(
      configFromVars({
        APP_URL: "http://localhost:3000",
        PIXAZO_API_KEY: "pk",
        PIXAZO_BASE_URL: "http://127.0.0.1:4999",
      }),
    );
    expect(ids(fake.candidates("edit", { images: 1 }, "auto"))).toEqual(["pixazo"]);
    const published = real("https://studio.example.com");
    expect(ids(published.candidates("edit", { images: 1 }, "auto"))).toEqual(["pixazo", "reve2img"]);
    expect(ids(published.candidates("remix", { images: 2 }, "auto"))).toEqual(["pixazo", "reve2img"]);
  });

  it("filters on aspect ratio, seed, negative prompt and image count", () => {
    const { r } = registry();
    expect(ids(r.candidates("create", { images: 0, aspectRatio: "1:1" }, "auto"))).toEqual([
      "apiframe",
      "reve2img",
      "reveart",
    ]);
    expect(ids(r.candidates("create", { images: 0, aspectRatio: "16:9" }, "auto"))).toEqual([
      "reve2img",
      "reveart",
    ]);
    expect(ids(r.candidates("create", { images: 0, seed: true }, "auto"))).toEqual(["apiframe"]);
    expect(ids(r.candidates("create", { images: 0, negativePrompt: true }, "auto"))).toEqual(["reveart"]);
    expect(ids(r.candidates("create", { images: 0, seed: true, negativePrompt: true }, "auto"))).toEqual([]);
    expect(ids(r.candidates("remix", { images: 5 }, "auto"))).toEqual([]);
    expect(ids(r.candidates("edit", { images: 2 }, "auto"))).toEqual([]);
    expect(ids(r.candidates("edit", { images: 1, aspectRatio: "1:1" }, "auto"))).toEqual([]);
  });

  it("follows PROVIDER_PRIORITY, with providers it leaves out placed after the listed ones", () => {
    const { r } = registry({ PROVIDER_PRIORITY: "reveart,reve2img" });
    expect(ids(r.candidates("create", { images: 0 }, "auto"))).toEqual(["reveart", "reve2img", "apiframe"]);
    expect(r.capabilitiesSummary().priority).toEqual(["reveart", "reve2img", "pixazo", "apiframe"]);
  });

  it("serves a named provider only when it is enabled and capable", () => {
    const { r } = registry({ APIFRAME_ENABLED: "false" });
    expect(ids(r.candidates("create", { images: 0 }, "reveart"))).toEqual(["reveart"]);
    expect(r.candidates("create", { images: 0 }, "pixazo")).toEqual([]);
    expect(r.whyNot("create", { images: 0 }, "pixazo")).toBe("This provider does not offer create.");
    expect(r.candidates("create", { images: 0 }, "apiframe")).toEqual([]);
    expect(r.whyNot("create", { images: 0 }, "apiframe")).toBe("Apiframe is not enabled on this studio.");
    expect(ids(r.candidates("create", { images: 0 }, "auto"))).toEqual(["reve2img", "reveart"]);
    expect(ids(r.enabled())).toEqual(["pixazo", "reve2img", "reveart"]);
    expect(ids(r.list())).toEqual(["pixazo", "apiframe", "reve2img", "reveart"]);
    expect(r.get("apiframe").id).toBe("apiframe");
  });

  it("leaves reve2img edit and remix off without a model that takes images", () => {
    const r = createProviderRegistry(
      configFromVars({ REVE_EMULATOR: "off", REVE2IMG_API_KEY: "k", REVE2IMG_CREATE_MODEL: "m" }),
    );
    expect(ids(r.enabled())).toEqual(["reve2img"]);
    expect(r.candidates("edit", { images: 1 }, "auto")).toEqual([]);
    expect(ids(r.candidates("create", { images: 0 }, "auto"))).toEqual(["reve2img"]);
  });
});

describe("registry circuit breaker", () => {
  it("moves a provider that failed three times within a minute to the end for 30 s", () => {
    const { r, clock } = registry();
    r.markFailed("apiframe");
    r.markFailed("apiframe");
    expect(ids(r.candidates("create", { images: 0 }, "auto"))[0]).toBe("apiframe");
    r.markFailed("apiframe");
    expect(ids(r.candidates("create", { images: 0 }, "auto"))).toEqual(["reve2img", "reveart", "apiframe"]);
    // Still offered when it is the only one able to serve the job.
    expect(ids(r.candidates("create", { images: 0, seed: true }, "auto"))).toEqual(["apiframe"]);
    expect(ids(r.candidates("create", { images: 0 }, "apiframe"))).toEqual(["apiframe"]);
    clock.advance(29_999);
    expect(ids(r.candidates("create", { images: 0 }, "auto"))[2]).toBe("apiframe");
    clock.advance(1);
    expect(ids(r.candidates("create", { images: 0 }, "auto"))[0]).toBe("apiframe");
  });

  it("forgets failures older than the window", () => {
    const { r, clock } = registry();
    r.markFailed("pixazo");
    r.markFailed("pixazo");
    clock.advance(60_000);
    r.markFailed("pixazo");
    expect(ids(r.candidates("edit", { images: 1 }, "auto"))).toEqual(["pixazo", "reve2img"]);
  });

  it("closes the circuit when the provider is marked healthy", () => {
    const { r } = registry();
    for (let i = 0; i < 3; i++) r.markFailed("pixazo");
    expect(ids(r.candidates("edit", { images: 1 }, "auto"))).toEqual(["reve2img", "pixazo"]);
    r.markHealthy("pixazo");
    expect(ids(r.candidates("edit", { images: 1 }, "auto"))).toEqual(["pixazo", "reve2img"]);
  });
});

describe("registry summary", () => {
  it("is plain JSON the UI can render", () => {
    const { r } = registry({ REVEART_ENABLED: "false" });
    const summary = r.capabilitiesSummary();
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary.providers.map((p) => [p.id, p.enabled, Object.keys(p.operations)])).toEqual([
      ["pixazo", true, ["edit", "remix"]],
      ["apiframe", true, ["create"]],
      ["reve2img", true, ["create", "edit", "remix"]],
      ["reveart", false, ["create"]],
    ]);
    expect(summary.providers[1]?.operations.create).toEqual({
      aspectRatios: ["1:1"],
      seed: true,
      negativePrompt: false,
      minImages: 0,
      maxImages: 0,
    });
    expect(summary.providers[0]?.operations.remix?.maxImages).toBe(4);
    expect(JSON.stringify(summary)).not.toContain("emu-");
  });
});
