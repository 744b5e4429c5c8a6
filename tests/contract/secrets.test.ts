import { emulatorConfig } from "./support/config";

import { createServer } from "node:net";
import { inspect } from "node:util";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import type { ProviderId } from "@/lib/domain";
import { ProviderError } from "@/server/providers/http-client";
import { createProviderRegistry } from "@/server/providers/registry";
import type { GenerationRequest, ReveProvider } from "@/server/providers/types";

import {
  NO_WAIT_RETRY,
  startImageServer,
  startTestEmulator,
  untilTerminal,
  type Emulator,
} from "./support/emulator";

// A recognizable key goes through every kind of failure and must surface nowhere.

const SENTINEL = "sk-SENTINEL-KEY-123";
const KEY_VARS = {
  PIXAZO_API_KEY: SENTINEL,
  APIFRAME_API_KEY: SENTINEL,
  REVE2IMG_API_KEY: SENTINEL,
  REVEART_API_KEY: SENTINEL,
};
const MARKERS = [
  "[emu:400]",
  "[emu:401]",
  "[emu:402]",
  "[emu:403]",
  "[emu:429]",
  "[emu:500]",
  "[emu:503]",
  "[emu:504]",
  "[emu:toomany]",
  "[emu:policy]",
  "[emu:malformed]",
  "[emu:timeout]",
];
const JOB_MARKERS = ["[emu:fail]", "[emu:error]", "[emu:policy]", "[emu:malformed-status]"];

let emu: Emulator;
let images: Awaited<ReturnType<typeof startImageServer>>;
const consoleOutput: unknown[][] = [];

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
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(args);
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([emu.close(), images.close()]);
});
afterEach(() => emu.clearRequests());

function registry(vars: Record<string, string> = {}, timeoutMs = 400) {
  const config = emulatorConfig(emu.port, { ...KEY_VARS, ...vars });
  for (const id of ["pixazo", "apiframe", "reve2img", "reveart"] as const) config[id].timeoutMs = timeoutMs;
  return createProviderRegistry(config, { retry: NO_WAIT_RETRY });
}

function requestFor(
  provider: ReveProvider,
  prompt: string,
): [op: "create" | "edit", input: GenerationRequest] {
  return provider.capabilities.operations.create
    ? ["create", { prompt }]
    : ["edit", { prompt, imageUrls: [`${images.url}/a.png`] }];
}

function expectKeyAbsent(value: unknown) {
  const error = value as ProviderError;
  expect(error).toBeInstanceOf(ProviderError);
  for (const text of [
    error.message,
    JSON.stringify(error),
    JSON.stringify(error.cause ?? null),
    String(error.stack),
    inspect(error, { depth: 10, showHidden: true }),
  ]) {
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain("SENTINEL");
  }
}

/** What a call ended with: its value, or what it threw. */
async function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((error: unknown) => error);
}

const IDS: ProviderId[] = ["pixazo", "apiframe", "reve2img", "reveart"];

describe("the provider key", () => {
  it.each(IDS)("stays out of every %s error and out of the console", async (id) => {
    const provider = registry().get(id);
    const outcomes: unknown[] = [];

    for (const marker of MARKERS) {
      const [op, input] = requestFor(provider, `x ${marker}`);
      outcomes.push(
        await outcomeOf(provider.submit(op, input, { callbackUrl: "https://studio.example/cb" })),
      );
    }
    for (const marker of JOB_MARKERS) {
      const [op, input] = requestFor(provider, `x ${marker}`);
      outcomes.push(await outcomeOf(provider.submit(op, input).then((job) => untilTerminal(provider, job))));
    }
    outcomes.push(await outcomeOf(provider.getStatus("no-such-job")));
    outcomes.push(await outcomeOf(provider.submit("remix", { prompt: "x", imageUrls: [] })));

    const wrongKey = registry({ [`${id.toUpperCase()}_API_KEY`]: "sk-SENTINEL-KEY-123-but-wrong" }).get(id);
    const [op, input] = requestFor(wrongKey, "x");
    outcomes.push(await outcomeOf(wrongKey.submit(op, input)));

    const closedPort = await freePort();
    const unreachable = createProviderRegistry(emulatorConfig(closedPort, KEY_VARS), {
      retry: NO_WAIT_RETRY,
    }).get(id);
    outcomes.push(await outcomeOf(unreachable.submit(op, input)));
    outcomes.push(await outcomeOf(unreachable.getStatus("job")));

    if (provider.parseCallback) {
      outcomes.push(
        await outcomeOf(Promise.resolve().then(() => provider.parseCallback?.(SENTINEL, new Headers()))),
      );
    }

    const errors = outcomes.filter((o) => o instanceof ProviderError);
    expect(errors.length).toBeGreaterThanOrEqual(14);
    for (const error of errors) expectKeyAbsent(error);
    for (const value of outcomes) expect(JSON.stringify(value)).not.toContain("SENTINEL");
    expect(inspect(consoleOutput, { depth: 10 })).not.toContain("SENTINEL");

    // The key did go where it belongs: in the request headers.
    const sent = emu.requests().filter((r) => r.provider === id);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.every((r) => JSON.stringify(r.headers).includes(SENTINEL))).toBe(true);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
