import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { EmulatorHandle } from "@/emulator/server";

import { fetchPng, json, KEYS, post, start, statusTrail, waitFor, webhookReceiver } from "./helpers";

const AUTH = { "X-API-Key": KEYS.apiframe };
const TERMINAL = ["COMPLETED", "FAILED"];

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.close());

const generate = (body: unknown, headers: Record<string, string> = AUTH) =>
  post(`${emu.url}/apiframe/v2/images/generate`, body, headers);
const job = async (id: string) => json(await fetch(`${emu.url}/apiframe/v2/jobs/${id}`, { headers: AUTH }));
const finished = (id: string) =>
  waitFor(
    () => job(id),
    (j) => TERMINAL.includes(j.status as string),
  );

async function createImage(prompt: string, seed?: number): Promise<Buffer> {
  const body = { prompt, model: "reve-create", ...(seed === undefined ? {} : { reveParams: { seed } }) };
  const id = (await json(await generate(body))).jobId as string;
  const done = await finished(id);
  expect(done.status).toBe("COMPLETED");
  return (await fetchPng(done.result as string)).bytes;
}

describe("apiframe", () => {
  it("rejects a missing or wrong X-API-Key with 401 {error, message}", async () => {
    for (const headers of [{} as Record<string, string>, { "X-API-Key": "afk_wrong" }]) {
      const response = await generate({ prompt: "x", model: "reve-create" }, headers);
      expect(response.status).toBe(401);
      expect(Object.keys(await json(response)).sort()).toEqual(["error", "message"]);
    }
  });

  it("runs a job from QUEUED through PROCESSING to COMPLETED with a 1:1 PNG as result", async () => {
    const response = await generate({ prompt: "a lighthouse [emu:slow=1200]", model: "reve-create" });
    expect(response.status).toBe(202);
    const accepted = await json(response);
    expect(Object.keys(accepted).sort()).toEqual(["jobId", "status"]);
    expect(accepted.status).toBe("QUEUED");
    const id = accepted.jobId as string;

    const trail = await statusTrail(async () => (await job(id)).status as string, TERMINAL);
    expect(trail).toEqual(["QUEUED", "PROCESSING", "COMPLETED"]);
    const done = await job(id);
    expect(done.jobId).toBe(id);
    expect(typeof done.result).toBe("string");
    expect(done.error).toBeUndefined();
    const png = await fetchPng(done.result as string);
    expect([png.width, png.height]).toEqual([1024, 1024]);
  });

  it("draws the same bytes for the same prompt and seed, and different ones for another seed", async () => {
    const [a, b, c] = await Promise.all([
      createImage("a red fox in snow", 7),
      createImage("a red fox in snow", 7),
      createImage("a red fox in snow", 8),
    ]);
    expect(a.equals(b!)).toBe(true);
    expect(a.equals(c!)).toBe(false);
  });

  it("posts the job shape to webhook_url at the terminal state, N times with webhookRepeat=N", async () => {
    const hooks = await webhookReceiver();
    emu.configure({ webhookRepeat: 2 });
    try {
      const response = await generate({
        prompt: "hooked",
        model: "reve-create",
        webhook_url: `${hooks.url}/apiframe-hook`,
      });
      const id = (await json(response)).jobId as string;
      await waitFor(
        () => hooks.received.length,
        (n) => n >= 2,
      );
      for (const call of hooks.received) {
        expect(call.path).toBe("/apiframe-hook");
        const body = JSON.parse(call.body) as Record<string, unknown>;
        expect(body).toMatchObject({ jobId: id, status: "COMPLETED" });
        expect(body.result).toEqual(expect.stringContaining("/files/"));
      }
    } finally {
      emu.configure({ webhookRepeat: 1 });
      await hooks.close();
    }
  });

  it("returns two result URLs as an array with [emu:multi]", async () => {
    const id = (await json(await generate({ prompt: "two of them [emu:multi]", model: "reve-create" })))
      .jobId as string;
    const done = await finished(id);
    expect(Array.isArray(done.result)).toBe(true);
    expect(done.result).toHaveLength(2);
  });

  it("fails [emu:fail] jobs with an error text and no result", async () => {
    const id = (await json(await generate({ prompt: "doomed [emu:fail]", model: "reve-create" })))
      .jobId as string;
    const done = await finished(id);
    expect(done.status).toBe("FAILED");
    expect(done.error).toEqual(expect.any(String));
    expect(done.result).toBeUndefined();
  });

  it("answers 400 for a wrong model, a missing prompt, a bad seed or invalid JSON; 404 for an unknown job", async () => {
    expect((await generate({ prompt: "x", model: "midjourney" })).status).toBe(400);
    expect((await generate({ model: "reve-create" })).status).toBe(400);
    expect((await generate({ prompt: "x", model: "reve-create", reveParams: { seed: 1.5 } })).status).toBe(
      400,
    );
    expect((await generate("{not json")).status).toBe(400);
    const unknown = await fetch(`${emu.url}/apiframe/v2/jobs/00000000-0000-0000-0000-000000000000`, {
      headers: AUTH,
    });
    expect(unknown.status).toBe(404);
  });

  it("answers [emu:429] with 429 and Retry-After, and [emu:malformed] with an unreadable 202", async () => {
    const limited = await generate({ prompt: "[emu:429]", model: "reve-create" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    const malformed = await generate({ prompt: "[emu:malformed]", model: "reve-create" });
    expect(malformed.status).toBe(202);
    const text = await malformed.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
