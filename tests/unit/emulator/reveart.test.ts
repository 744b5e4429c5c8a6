import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { EmulatorHandle } from "@/emulator/server";

import { fetchPng, json, KEYS, post, start, statusTrail } from "./helpers";

const AUTH = { Authorization: `Bearer ${KEYS.reveart}` };

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.close());

const generate = (body: unknown, headers: Record<string, string> = AUTH, path = "/v1/reve-image/generate") =>
  post(`${emu.url}/reveart${path}`, body, headers);
const status = async (id: string, slash = "") =>
  json(await fetch(`${emu.url}/reveart/v1/reve-image/status/${id}${slash}`, { headers: AUTH }));

describe("reve-art", () => {
  it("rejects a missing or wrong bearer key with 401 and a plain-text body", async () => {
    for (const headers of [{} as Record<string, string>, { Authorization: "Bearer nope" }]) {
      const response = await generate({ prompt: "x" }, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect((await response.text()).length).toBeGreaterThan(0);
    }
  });

  it("answers a synchronous generate with the finished image and its metadata", async () => {
    const response = await generate({ prompt: "a harbour at dawn", aspect_ratio: "16:9" });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.id).toMatch(/^img_/);
    expect(body.status).toBe("completed");
    expect(body.metadata).toMatchObject({ prompt: "a harbour at dawn", width: 1024, height: 576 });
    expect((body.metadata as Record<string, unknown>).created_at).toEqual(expect.any(String));
    const png = await fetchPng(body.url as string);
    expect([png.width, png.height]).toEqual([1024, 576]);
  });

  it("draws identical bytes for an identical synchronous request", async () => {
    const urls = await Promise.all(
      [1, 2].map(
        async () => (await json(await generate({ prompt: "same", aspect_ratio: "3:4" }))).url as string,
      ),
    );
    const [a, b] = await Promise.all(urls.map(fetchPng));
    expect(urls[0]).not.toBe(urls[1]);
    expect(a!.bytes.equals(b!.bytes)).toBe(true);
    expect([a!.width, a!.height]).toEqual([768, 1024]);
  });

  it("runs an async job from pending to completed, with or without the trailing slash", async () => {
    const response = await generate({
      prompt: "async tree [emu:slow=600]",
      aspect_ratio: "2:3",
      async: true,
    });
    const accepted = await json(response);
    expect(accepted).toEqual({ id: expect.stringMatching(/^img_/), status: "pending" });
    const id = accepted.id as string;
    const trail = await statusTrail(
      async () => (await status(id, "/")).status as string,
      ["completed", "failed"],
    );
    expect(trail).toEqual(["pending", "completed"]);
    const done = await status(id);
    expect(done.metadata).toMatchObject({ width: 683, height: 1024, model: "text2image_v1" });
    const png = await fetchPng(done.url as string);
    expect([png.width, png.height]).toEqual([683, 1024]);
  });

  it("accepts the documented alias path /v1/images/generate", async () => {
    const response = await generate({ prompt: "alias", async: true }, AUTH, "/v1/images/generate");
    expect(response.status).toBe(200);
    expect((await json(response)).status).toBe("pending");
  });

  it("reports failures: async jobs end 'failed', synchronous ones answer a non-2xx text", async () => {
    const id = (await json(await generate({ prompt: "x [emu:fail]", async: true }))).id as string;
    const trail = await statusTrail(async () => (await status(id)).status as string, ["completed", "failed"]);
    expect(trail.at(-1)).toBe("failed");
    expect((await status(id)).error).toEqual(expect.any(String));

    const sync = await generate({ prompt: "x [emu:policy]" });
    expect(sync.status).toBe(400);
    expect(await sync.text()).toMatch(/content policy/i);
  });

  it("validates the body and answers 404 text for an unknown id", async () => {
    expect((await generate({ aspect_ratio: "1:1" })).status).toBe(400);
    expect((await generate({ prompt: "x", aspect_ratio: "21:9" })).status).toBe(400);
    expect((await generate({ prompt: "x", async: "yes" })).status).toBe(400);
    const unknown = await fetch(`${emu.url}/reveart/v1/reve-image/status/img_nope`, { headers: AUTH });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/not found/i);
  });

  it("limits generate requests per minute when configured", async () => {
    emu.configure({ reveartRateLimitPerMinute: 2 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await generate({ prompt: `r${i}`, async: true })).status);
      expect(answers).toEqual([200, 200, 429]);
    } finally {
      emu.configure({ reveartRateLimitPerMinute: 0 });
    }
  });
});
