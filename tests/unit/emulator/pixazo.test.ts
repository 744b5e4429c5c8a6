import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { EmulatorHandle } from "@/emulator/server";

import {
  fetchPng,
  imageServer,
  json,
  KEYS,
  meanColor,
  post,
  start,
  statusTrail,
  waitFor,
  webhookReceiver,
  type LocalServer,
} from "./helpers";

const AUTH = { "Ocp-Apim-Subscription-Key": KEYS.pixazo };
const TERMINAL = ["COMPLETED", "FAILED", "ERROR"];

let emu: EmulatorHandle;
let images: LocalServer;
let hooks: LocalServer;

beforeAll(async () => {
  emu = await start();
  images = await imageServer();
});
afterAll(async () => {
  await emu.close();
  await images.close();
});
afterEach(async () => {
  await hooks?.close();
  emu.configure({ jobMs: 300, webhookRepeat: 1, webhookHttpsToHttp: false });
});

const edit = (body: unknown, headers: Record<string, string> = {}) =>
  post(`${emu.url}/pixazo/reve-image/v1/image-edit`, body, { ...AUTH, ...headers });
const remix = (body: unknown, headers: Record<string, string> = {}) =>
  post(`${emu.url}/pixazo/reve-image/v1/image-edit-remix`, body, { ...AUTH, ...headers });
const status = async (id: string) =>
  json(await fetch(`${emu.url}/pixazo/v2/requests/status/${id}`, { headers: AUTH }));

async function finished(id: string) {
  return waitFor(
    () => status(id),
    (s) => TERMINAL.includes(s.status as string),
  );
}

describe("pixazo", () => {
  it("rejects a missing or wrong subscription key with 401 {error, message}", async () => {
    for (const headers of [{} as Record<string, string>, { "Ocp-Apim-Subscription-Key": "wrong" }]) {
      const response = await post(
        `${emu.url}/pixazo/reve-image/v1/image-edit`,
        { image: `${images.url}/red.png`, prompt: "x" },
        headers,
      );
      expect(response.status).toBe(401);
      const body = await json(response);
      expect(Object.keys(body).sort()).toEqual(["error", "message"]);
    }
    const statusResponse = await fetch(`${emu.url}/pixazo/v2/requests/status/whatever`);
    expect(statusResponse.status).toBe(401);
  });

  it("runs an edit from QUEUED through PROCESSING to COMPLETED with a changed image of the input's shape", async () => {
    const response = await edit({ image: `${images.url}/red.png`, prompt: "make it blue [emu:slow=1200]" });
    expect(response.status).toBe(202);
    const accepted = await json(response);
    expect(accepted.request_id).toMatch(/^reve-image_[0-9a-f-]{36}$/);
    expect(accepted.status).toBe("QUEUED");
    expect(accepted.polling_url).toBe(
      `${emu.url}/pixazo/v2/requests/status/${accepted.request_id as string}`,
    );

    const id = accepted.request_id as string;
    const trail = await statusTrail(async () => (await status(id)).status as string, TERMINAL);
    expect(trail).toEqual(["QUEUED", "PROCESSING", "COMPLETED"]);

    const done = await status(id);
    expect(done).toMatchObject({ request_id: id, model_id: "reve-image-generation", error: null });
    expect(done.completed_at).toEqual(expect.any(String));
    const output = done.output as { media_url: string[]; media_type: string };
    expect(output.media_type).toBe("image/png");
    expect(output.media_url).toHaveLength(1);

    const png = await fetchPng(output.media_url[0]!);
    expect([png.width, png.height]).toEqual([1024, 768]);
    expect(images.received.some((r) => r.path === "/red.png")).toBe(true);
    // Above the banner, the pure red input must have been recoloured.
    const [r, g, b] = await meanColor(png.bytes, { left: 0, top: 0, width: 1024, height: 400 });
    expect(Math.abs(r - 255) + g + b).toBeGreaterThan(120);
  });

  it("remixes by fetching every reference and tiling them in the requested ratio", async () => {
    const response = await remix({
      prompt: "side by side",
      reference_images: [`${images.url}/red.png`, `${images.url}/blue.png`],
      aspect_ratio: "16:9",
    });
    expect(response.status).toBe(202);
    const id = (await json(response)).request_id as string;
    const done = await finished(id);
    expect(done.status).toBe("COMPLETED");
    const png = await fetchPng((done.output as { media_url: string[] }).media_url[0]!);
    expect([png.width, png.height]).toEqual([1024, 576]);
    const left = await meanColor(png.bytes, { left: 50, top: 50, width: 300, height: 300 });
    const right = await meanColor(png.bytes, { left: 650, top: 50, width: 300, height: 300 });
    expect(left[0]).toBeGreaterThan(200);
    expect(left[2]).toBeLessThan(60);
    expect(right[2]).toBeGreaterThan(200);
    expect(right[0]).toBeLessThan(60);
  });

  it("fails the job when an input cannot be fetched or is not an image", async () => {
    for (const path of ["/missing", "/text"]) {
      const id = (await json(await edit({ image: `${images.url}${path}`, prompt: "edit" })))
        .request_id as string;
      const done = await finished(id);
      expect(done.status).toBe("FAILED");
      expect(done.error).toEqual(expect.stringMatching(/input image/i));
      expect(done.output).toBeNull();
    }
  });

  it("rejects a plain http webhook URL (header or remix body) with 400 {error, message}", async () => {
    const byHeader = await edit(
      { image: `${images.url}/red.png`, prompt: "x" },
      { "X-Webhook-URL": "http://127.0.0.1:9/hook" },
    );
    expect(byHeader.status).toBe(400);
    expect(Object.keys(await json(byHeader)).sort()).toEqual(["error", "message"]);
    const byBody = await remix({
      prompt: "x",
      reference_images: [`${images.url}/red.png`],
      webhook: "http://a.test/h",
    });
    expect(byBody.status).toBe(400);
  });

  it("delivers the terminal webhook once per configured repeat, over http when asked to", async () => {
    hooks = await webhookReceiver();
    emu.configure({ webhookRepeat: 3, webhookHttpsToHttp: true });
    const response = await edit(
      { image: `${images.url}/red.png`, prompt: "hooked" },
      { "X-Webhook-URL": `https://127.0.0.1:${hooks.port}/hook?token=t1` },
    );
    expect(response.status).toBe(202);
    const id = (await json(response)).request_id as string;
    await waitFor(
      () => hooks.received.length,
      (n) => n >= 3,
    );
    for (const call of hooks.received) {
      expect(call.method).toBe("POST");
      expect(call.path).toBe("/hook?token=t1");
      expect(call.headers["content-type"]).toBe("application/json");
      const body = JSON.parse(call.body) as Record<string, unknown>;
      expect(body).toMatchObject({ request_id: id, status: "COMPLETED", model_id: "reve-image-generation" });
    }
    expect(await status(id)).toMatchObject({ status: "COMPLETED" });
  });

  it("sends a processing event and the terminal one in sync mode, and honours the remix body webhook", async () => {
    hooks = await webhookReceiver();
    emu.configure({ webhookHttpsToHttp: true });
    const response = await remix({
      prompt: "sync events",
      reference_images: [`${images.url}/blue.png`],
      webhook: `https://127.0.0.1:${hooks.port}/remix`,
      webhook_events_filter: ["*"],
    });
    expect(response.status).toBe(202);
    await waitFor(
      () => hooks.received.map((r) => (JSON.parse(r.body) as { status: string }).status),
      (s) => s.includes("COMPLETED"),
    );
    const statuses = hooks.received.map((r) => (JSON.parse(r.body) as { status: string }).status);
    expect(statuses).toEqual(["PROCESSING", "COMPLETED"]);
  });

  it("answers [emu:402] with the documented insufficient-balance body", async () => {
    const response = await edit({ image: `${images.url}/red.png`, prompt: "pay up [emu:402]" });
    expect(response.status).toBe(402);
    expect(await json(response)).toEqual({
      error: "Insufficient Balance",
      message: "Your wallet does not have enough balance.",
    });
  });

  it("ends [emu:error] in ERROR and [emu:policy] in FAILED mentioning the content policy", async () => {
    const errorId = (await json(await edit({ image: `${images.url}/red.png`, prompt: "[emu:ERROR] x" })))
      .request_id as string;
    const policyId = (await json(await edit({ image: `${images.url}/red.png`, prompt: "x [emu:policy]" })))
      .request_id as string;
    const errored = await finished(errorId);
    expect(errored).toMatchObject({ status: "ERROR", output: null });
    expect(errored.error).toEqual(expect.any(String));
    const refused = await finished(policyId);
    expect(refused.status).toBe("FAILED");
    expect(refused.error).toMatch(/content policy/i);
  });

  it("validates bodies: missing image, bad version, too many references, unknown request id", async () => {
    expect((await edit({ prompt: "no image" })).status).toBe(400);
    const badVersion = await edit({ image: `${images.url}/red.png`, prompt: "x", version: "reve-edit@1999" });
    expect(badVersion.status).toBe(400);
    expect((await json(badVersion)).error).toBe("Model not found");
    const five = Array.from({ length: 5 }, () => `${images.url}/red.png`);
    expect((await remix({ prompt: "x", reference_images: five })).status).toBe(400);
    expect((await remix({ prompt: "x", reference_images: [] })).status).toBe(400);
    const ok = await edit({ image: `${images.url}/red.png`, prompt: "x", version: "reve-edit@20250915" });
    expect(ok.status).toBe(202);
    const unknown = await fetch(`${emu.url}/pixazo/v2/requests/status/reve-image_nope`, { headers: AUTH });
    expect(unknown.status).toBe(404);
  });

  it("returns two media URLs with [emu:multi]", async () => {
    const id = (await json(await edit({ image: `${images.url}/gray.jpg`, prompt: "twice [emu:multi]" })))
      .request_id as string;
    const done = await finished(id);
    const urls = (done.output as { media_url: string[] }).media_url;
    expect(urls).toHaveLength(2);
    const [a, b] = await Promise.all(urls.map(fetchPng));
    expect([a!.width, a!.height]).toEqual([512, 1024]);
    expect(a!.bytes.equals(b!.bytes)).toBe(false);
  });
});
