import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startImageServer, startTestEmulator, type Emulator } from "./support/emulator";

// The operator CLI run as a child process against an in-process emulator, keys set to a sentinel.

const SENTINEL = "sk-SENTINEL-KEY-123";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let emu: Emulator;
let images: Awaited<ReturnType<typeof startImageServer>>;
const transcripts: string[] = [];

beforeAll(async () => {
  [emu, images] = await Promise.all([
    startTestEmulator({
      pixazoKey: SENTINEL,
      apiframeKey: SENTINEL,
      reve2imgKey: SENTINEL,
      reveartKey: SENTINEL,
    }),
    startImageServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([emu.close(), images.close()]);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> & { result?: Record<string, unknown>; error?: Record<string, unknown> };
}

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "test" as const,
    REVE_EMULATOR: "off",
    JOB_DEADLINE_SECONDS: "30",
    APP_URL: "https://studio.example.com",
    PIXAZO_BASE_URL: `${emu.url}/pixazo`,
    APIFRAME_BASE_URL: `${emu.url}/apiframe`,
    REVE2IMG_BASE_URL: `${emu.url}/reve2img`,
    REVEART_BASE_URL: `${emu.url}/reveart`,
    PIXAZO_API_KEY: SENTINEL,
    APIFRAME_API_KEY: SENTINEL,
    REVE2IMG_API_KEY: SENTINEL,
    REVEART_API_KEY: SENTINEL,
    REVE2IMG_CREATE_MODEL: "reve-image",
    REVE2IMG_EDIT_MODEL: "reve-edit",
    REVE2IMG_REMIX_MODEL: "reve-remix",
    ...extraEnv,
  };
  const argv = ["--conditions=react-server", "--import", "tsx", "scripts/provider-cli.ts", ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      transcripts.push(stdout, stderr);
      let json = {};
      try {
        json = JSON.parse(stdout) as Run["json"];
      } catch {
        json = {};
      }
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, json });
    });
  });
}

// Image arguments name a file on the image server, which starts after the table is built.
const image = (name: string) => `@image/${name}.png`;
const withImages = (args: string[]) => args.map((a) => a.replace(/^@image/, images.url));

const OPERATIONS: [provider: string, args: string[]][] = [
  ["pixazo", ["edit", "--prompt", "Add a hat", "--image", image("a")]],
  ["pixazo", ["remix", "--prompt", "Blend", "--ref", image("a"), "--ref", image("b"), "--ratio", "16:9"]],
  ["apiframe", ["create", "--prompt", "A fox", "--seed", "7"]],
  ["reve2img", ["create", "--prompt", "A lighthouse", "--ratio", "9:16"]],
  ["reve2img", ["edit", "--prompt", "Tint", "--image", image("a")]],
  ["reve2img", ["remix", "--prompt", "Mix", "--ref", image("a"), "--ref", image("b")]],
  ["reveart", ["create", "--prompt", "A harbour", "--negative", "fog", "--ratio", "3:2"]],
];

describe("provider CLI", () => {
  it("reports each provider's configuration without the key", async () => {
    const run = await cli(["doctor"]);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ ok: true, emulator: false });
    expect(run.json.providers).toEqual([
      expect.objectContaining({
        id: "pixazo",
        enabled: true,
        key: "set",
        baseUrl: `${emu.url}/pixazo`,
        operations: ["edit", "remix"],
      }),
      expect.objectContaining({ id: "apiframe", enabled: true, key: "set", operations: ["create"] }),
      expect.objectContaining({
        id: "reve2img",
        enabled: true,
        key: "set",
        operations: ["create", "edit", "remix"],
      }),
      expect.objectContaining({ id: "reveart", enabled: true, key: "set", operations: ["create"] }),
    ]);
    const missing = await cli(["doctor", "--provider", "apiframe"], { APIFRAME_API_KEY: "" });
    expect(missing.json.providers).toEqual([
      expect.objectContaining({
        id: "apiframe",
        enabled: false,
        key: "missing",
        reason: "APIFRAME_API_KEY is not set",
      }),
    ]);
  });

  it("doctor checks each configured provider for real: reachable, key accepted, latency", async () => {
    emu.clearRequests();
    const run = await cli(["doctor"]);
    expect(run.code).toBe(0);
    const providers = run.json.providers as { id: string; ok: boolean; check?: Record<string, unknown> }[];
    for (const p of providers) {
      expect(p.ok, p.id).toBe(true);
      expect(p.check).toMatchObject({ reachable: true, key: "accepted", latencyMs: expect.any(Number) });
    }
    // Each probe was one status read, of an id that cannot exist: nothing was created.
    const probes = emu.requests().filter((r) => r.fullPath.includes("reve-studio-doctor-probe"));
    expect(probes.map((r) => r.method)).toEqual(["GET", "GET", "GET", "GET"]);
  });

  it("doctor exits non-zero for a refused key and for an address that refuses connections", async () => {
    const refused = await cli(["doctor", "--provider", "apiframe"], { APIFRAME_API_KEY: "sk-wrong-key-000" });
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({
      ok: false,
      providers: [{ id: "apiframe", ok: false, check: { reachable: true, key: "refused", httpStatus: 401 } }],
    });
    const down = await cli(["doctor", "--provider", "reveart"], { REVEART_BASE_URL: "http://127.0.0.1:9" });
    expect(down.code).toBe(1);
    expect(down.json).toMatchObject({
      ok: false,
      providers: [{ id: "reveart", ok: false, check: { reachable: false, key: "unknown" } }],
    });
  });

  it("doctor names an operation turned off by an unset model, and a private APP_URL", async () => {
    const unset = await cli(["doctor", "--provider", "reve2img"], { REVE2IMG_CREATE_MODEL: "" });
    const [noCreate] = unset.json.providers as { operations: string[]; warnings: string[] }[];
    expect(noCreate!.operations).toEqual(["edit", "remix"]);
    expect(noCreate!.warnings).toContain(
      "REVE2IMG_CREATE_MODEL is not set: create is off at reve2img (its document names no model id).",
    );
    // A reseller on the internet (its base URL public) and the studio on a private address.
    const local = await cli(["doctor", "--provider", "reve2img"], {
      APP_URL: "http://localhost:3000",
      REVE2IMG_BASE_URL: "https://api.reve2img.invalid",
    });
    const [reve2img] = local.json.providers as { operations: string[]; warnings: string[] }[];
    // The reseller cannot fetch inputs from a private address, so edit and remix are off there.
    expect(reve2img!.operations).toEqual(["create"]);
    expect(reve2img!.warnings).toContain(
      "APP_URL is not a public https URL: edit and remix are off at reve2img, which cannot fetch their input images.",
    );
    expect(local.code).toBe(1);
    const fine = await cli(["doctor", "--provider", "reve2img"]);
    expect(fine.code).toBe(0);
  });

  // The answers the documents leave open, through the CLI with --wait (emulator drift markers).
  it("an Apiframe job answered with id, IN_PROGRESS and a single-string result succeeds", async () => {
    const run = await cli([
      "create",
      "--provider",
      "apiframe",
      "--prompt",
      "A fox [emu:id][emu:inbetween][emu:oneurl][emu:slow=1500]",
      "--wait",
      "--raw",
    ]);
    expect(run.code).toBe(0);
    expect(run.json.result).toMatchObject({ state: "succeeded", outputs: [{ url: expect.any(String) }] });
    const bodies = (run.json.raw as { body: string }[]).map(
      (a) => JSON.parse(a.body) as Record<string, unknown>,
    );
    expect(bodies.some((b) => b.status === "IN_PROGRESS")).toBe(true);
    expect(bodies.every((b) => b.jobId === undefined && typeof b.id === "string")).toBe(true);
    expect(bodies.some((b) => typeof b.result === "string")).toBe(true);
  });

  it("a reve-art job through processing, whose status URL redirects to a trailing slash, succeeds", async () => {
    const run = await cli([
      "create",
      "--provider",
      "reveart",
      "--prompt",
      "A harbour [emu:inbetween][emu:slash][emu:slow=1500]",
      "--wait",
      "--raw",
    ]);
    expect(run.code).toBe(0);
    expect(run.json.result).toMatchObject({ state: "succeeded" });
    const id = String(run.json.result?.providerJobId);
    const reads = emu.requests().filter((r) => r.method === "GET" && r.path.includes(id));
    expect(reads.some((r) => r.status === 301 && !r.path.endsWith("/"))).toBe(true);
    expect(reads.some((r) => r.status === 200 && r.path.endsWith(`${id}/`))).toBe(true);
    const states = (run.json.raw as { body: string }[]).map(
      (a) => (JSON.parse(a.body) as { status: string }).status,
    );
    expect(states).toContain("processing");
  });

  it("a reve2img task failing with {code: 500, message: GENERATION_FAILED} ends failed within one poll", async () => {
    const run = await cli([
      "create",
      "--provider",
      "reve2img",
      "--prompt",
      "x [emu:fail][emu:numcode][emu:slow=1]",
      "--wait",
    ]);
    expect(run.code).toBe(1);
    expect(run.json.result).toMatchObject({ state: "failed", failure: { code: "provider_error" } });
    const id = String(run.json.result?.providerJobId);
    const reads = emu.requests().filter((r) => r.method === "GET" && r.query.task_id === id);
    expect(reads).toHaveLength(1);
  });

  it("status --raw prints the provider's answers, keys scrubbed", async () => {
    const submitted = await cli(["create", "--provider", "apiframe", "--prompt", "Raw fox"]);
    const id = String(submitted.json.result?.providerJobId);
    const run = await cli(["status", "--provider", "apiframe", "--id", id, "--raw"]);
    expect(run.code).toBe(0);
    expect(run.json.raw).toEqual([
      { provider: "apiframe", operation: "status", httpStatus: 200, body: expect.stringContaining(id) },
    ]);
    expect(run.json.kept).toEqual({ note: "Set DATABASE_URL to read the answers the studio kept." });
  });

  it.each(OPERATIONS)("runs %s %j: submit, then status --wait", async (provider, args) => {
    const submitted = await cli([...withImages(args), "--provider", provider]);
    expect(submitted.code).toBe(0);
    expect(submitted.json).toMatchObject({
      ok: true,
      provider,
      result: { state: expect.stringMatching(/queued|processing/) },
    });
    const id = String(submitted.json.result?.providerJobId);

    const status = await cli(["status", "--provider", provider, "--id", id, "--wait"]);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({
      ok: true,
      provider,
      result: {
        state: "succeeded",
        providerJobId: id,
        outputs: [{ url: expect.stringContaining(`${emu.url}/files/`) }],
      },
    });
  });

  it("waits for a job to end when submitting with --wait", async () => {
    const run = await cli(["create", "--provider", "reveart", "--prompt", "Wait for me", "--wait"]);
    expect(run.code).toBe(0);
    expect(run.json.result).toMatchObject({ state: "succeeded", outputs: [{ width: 1024, height: 1024 }] });
  });

  it("exits non-zero with the normalized error", async () => {
    const [quota, failed, refused, disabled] = await Promise.all([
      cli(["create", "--provider", "reve2img", "--prompt", "x [emu:402]"]),
      cli(["create", "--provider", "apiframe", "--prompt", "x [emu:fail]", "--wait"]),
      cli(["create", "--provider", "apiframe", "--prompt", "x", "--ratio", "16:9"]),
      cli(["create", "--provider", "reveart", "--prompt", "x"], { REVEART_ENABLED: "false" }),
    ]);
    expect(quota.code).toBe(1);
    expect(quota.json).toMatchObject({
      ok: false,
      provider: "reve2img",
      error: { code: "provider_quota", retryable: false, httpStatus: 402, accepted: false },
    });
    expect(failed.code).toBe(1);
    expect(failed.json).toMatchObject({
      ok: false,
      result: { state: "failed", failure: { code: "provider_error" } },
    });
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(disabled.code).toBe(1);
    expect(disabled.json).toMatchObject({ ok: false, error: { code: "provider_disabled" } });
  });

  it.each([
    [[], "A command is required."],
    [["launch"], 'Unknown command "launch".'],
    [["create", "--prompt", "x"], "--provider is required."],
    [["create", "--provider", "nope", "--prompt", "x"], 'Unknown provider "nope".'],
    [["create", "--provider", "reveart"], "--prompt is required."],
    [["create", "--provider", "reveart", "--prompt", "x", "--ratio", "5:4"], 'Unknown aspect ratio "5:4".'],
    [["create", "--provider", "apiframe", "--prompt", "x", "--seed", "1.5"], "--seed must be an integer"],
    [["edit", "--provider", "pixazo", "--prompt", "x"], "--image is required for edit."],
    [["status", "--provider", "pixazo"], "--id is required for status."],
    [["create", "--provider", "reveart", "--prompt", "x", "--colour", "red"], "Unknown option '--colour'"],
  ])("refuses %j with a usage message", async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Usage: npm run provider --");
  });

  it("never printed the key", () => {
    expect(transcripts.length).toBeGreaterThan(20);
    expect(transcripts.join("\n")).not.toContain("SENTINEL");
    expect(emu.requests().some((r) => JSON.stringify(r.headers).includes(SENTINEL))).toBe(true);
  });
});
