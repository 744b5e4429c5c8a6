import { afterAll, beforeAll, describe, expect, it } from "vitest";

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
  type LocalServer,
} from "./helpers";

const AUTH = { Authorization: `Bearer ${KEYS.reve2img}` };

let emu: EmulatorHandle;
let images: LocalServer;

beforeAll(async () => {
  emu = await start();
  images = await imageServer();
});
afterAll(async () => {
  await emu.close();
  await images.close();
});

const generate = (body: unknown, headers: Record<string, string> = AUTH) =>
  post(`${emu.url}/reve2img/api/v1/generate`, body, headers);
const status = async (taskId: string) =>
  json(await fetch(`${emu.url}/reve2img/api/v1/status?task_id=${taskId}`, { headers: AUTH }));
type Data = {
  task_id: string;
  status: string;
  consumed_credits?: number;
  response?: { resultUrls: string[] };
};
const dataOf = (envelope: Record<string, unknown>) => envelope.data as Data & { error?: { code: string } };
const finished = (taskId: string) =>
  waitFor(
    async () => dataOf(await status(taskId)),
    (d) => d.status !== "IN_PROGRESS",
  );

async function submit(body: unknown): Promise<string> {
  const response = await generate(body);
  expect(response.status).toBe(200);
  return dataOf(await json(response)).task_id;
}

describe("reve2img", () => {
  it("rejects a missing or wrong bearer key with the 401 INVALID_API_KEY envelope", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: "Bearer sk-wrong" },
      { Authorization: KEYS.reve2img },
    ]) {
      const response = await generate({ model: "reve-image", prompt: "x" }, headers);
      expect(response.status).toBe(401);
      const body = await json(response);
      expect(body).toMatchObject({ code: 401, message: "INVALID_API_KEY" });
      expect(typeof body.detail).toBe("string");
    }
  });

  it("runs an async task from IN_PROGRESS to SUCCESS with credits and a PNG of the requested ratio", async () => {
    const response = await generate({ model: "reve-image", prompt: "a tall tower", aspect_ratio: "9:16" });
    const body = await json(response);
    expect(body).toMatchObject({ code: 200, message: "success", data: { status: "IN_PROGRESS" } });
    const taskId = dataOf(body).task_id;
    const trail = await statusTrail(async () => dataOf(await status(taskId)).status, ["SUCCESS", "FAILED"]);
    expect(trail).toEqual(["IN_PROGRESS", "SUCCESS"]);
    const done = dataOf(await status(taskId));
    expect(done.consumed_credits).toBe(12);
    const png = await fetchPng(done.response!.resultUrls[0]!);
    expect([png.width, png.height]).toEqual([576, 1024]);
  });

  it("answers SUCCESS with resultUrls right away for the synchronous reve-2.0 model", async () => {
    const response = await generate({ model: "reve-2.0", prompt: "at once", aspect_ratio: "3:2" });
    const data = dataOf(await json(response));
    expect(data.status).toBe("SUCCESS");
    expect(data.consumed_credits).toBe(12);
    const png = await fetchPng(data.response!.resultUrls[0]!);
    expect([png.width, png.height]).toEqual([1024, 683]);
    expect(dataOf(await status(data.task_id)).status).toBe("SUCCESS");
  });

  it("edits with reve-edit (one image_url) and remixes with reve-remix (several)", async () => {
    const editId = await submit({
      model: "reve-edit",
      prompt: "recolour",
      image_urls: [`${images.url}/gray.jpg`],
    });
    const remixId = await submit({
      model: "reve-remix",
      prompt: "stack",
      aspect_ratio: "9:16",
      image_urls: [`${images.url}/red.png`, `${images.url}/blue.png`],
    });
    const edited = await finished(editId);
    expect(edited.status).toBe("SUCCESS");
    const editPng = await fetchPng(edited.response!.resultUrls[0]!);
    expect([editPng.width, editPng.height]).toEqual([512, 1024]);
    // A grey input must come back tinted, not grey.
    const [r, g, b] = await meanColor(editPng.bytes, { left: 0, top: 0, width: 512, height: 600 });
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(25);

    const remixed = await finished(remixId);
    const remixPng = await fetchPng(remixed.response!.resultUrls[0]!);
    expect([remixPng.width, remixPng.height]).toEqual([576, 1024]);
    const top = await meanColor(remixPng.bytes, { left: 100, top: 100, width: 300, height: 300 });
    const bottom = await meanColor(remixPng.bytes, { left: 100, top: 550, width: 300, height: 200 });
    expect(top[0]).toBeGreaterThan(200);
    expect(bottom[2]).toBeGreaterThan(200);
  });

  it("fails with GENERATION_FAILED when an input cannot be fetched, and on [emu:fail]", async () => {
    const missing = await submit({ model: "reve-edit", prompt: "x", image_urls: [`${images.url}/missing`] });
    const doomed = await submit({ model: "reve-image", prompt: "x [emu:fail]" });
    for (const taskId of [missing, doomed]) {
      const done = await finished(taskId);
      expect(done.status).toBe("FAILED");
      expect(done.error?.code).toBe("GENERATION_FAILED");
      expect(done.response).toBeUndefined();
    }
  });

  it("validates: INVALID_MODEL, INVALID_PROMPT, INVALID_PARAMETER", async () => {
    const cases: [unknown, string][] = [
      [{ model: "dall-e", prompt: "x" }, "INVALID_MODEL"],
      [{ prompt: "x" }, "INVALID_MODEL"],
      [{ model: "reve-image", prompt: "  " }, "INVALID_PROMPT"],
      [{ model: "reve-image", prompt: "x", aspect_ratio: "5:4" }, "INVALID_PARAMETER"],
      [{ model: "reve-image", prompt: "x", image_urls: [`${images.url}/red.png`] }, "INVALID_PARAMETER"],
      [{ model: "reve-edit", prompt: "x", image_urls: [] }, "INVALID_PARAMETER"],
      ["{oops", "INVALID_PARAMETER"],
    ];
    for (const [body, message] of cases) {
      const response = await generate(body);
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ code: 400, message });
    }
  });

  it("maps markers to the documented errors: policy, 402, 429, toomany, 503", async () => {
    const cases: [string, number, string][] = [
      ["[emu:policy]", 400, "CONTENT_POLICY_VIOLATION"],
      ["[emu:402]", 402, "INSUFFICIENT_CREDITS"],
      ["[emu:429]", 429, "RATE_LIMITED"],
      ["[emu:toomany]", 429, "TOO_MANY_TASKS"],
      ["[emu:503]", 503, "SERVICE_UNAVAILABLE"],
      ["[emu:504]", 504, "TIMEOUT"],
    ];
    for (const [marker, code, message] of cases) {
      const response = await generate({ model: "reve-image", prompt: `x ${marker}` });
      expect(response.status).toBe(code);
      expect(await json(response)).toMatchObject({ code, message });
    }
  });

  it("answers TASK_NOT_FOUND for an unknown task and INVALID_PARAMETER without task_id", async () => {
    const unknown = await fetch(`${emu.url}/reve2img/api/v1/status?task_id=nope`, { headers: AUTH });
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ code: 404, message: "TASK_NOT_FOUND" });
    const missing = await fetch(`${emu.url}/reve2img/api/v1/status`, { headers: AUTH });
    expect(missing.status).toBe(400);
  });

  it("keeps [emu:never] tasks in progress and answers [emu:malformed-status] reads unreadably", async () => {
    const never = await submit({ model: "reve-image", prompt: "[emu:never]" });
    const broken = await submit({ model: "reve-image", prompt: "[emu:malformed-status]" });
    await new Promise((r) => setTimeout(r, 700));
    expect(dataOf(await status(never)).status).toBe("IN_PROGRESS");
    const response = await fetch(`${emu.url}/reve2img/api/v1/status?task_id=${broken}`, { headers: AUTH });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
