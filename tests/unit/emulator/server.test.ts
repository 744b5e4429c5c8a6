import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { EmulatorHandle, JobLogEntry, LoggedRequest } from "@/emulator/server";

import { fetchPng, json, KEYS, localServer, post, start, waitFor } from "./helpers";

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await start();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());

const apiframe = (prompt: string, extra: Record<string, unknown> = {}) =>
  post(
    `${emu.url}/apiframe/v2/images/generate`,
    { prompt, model: "reve-create", ...extra },
    { "X-API-Key": KEYS.apiframe },
  );
const apiframeJob = async (id: string) =>
  json(await fetch(`${emu.url}/apiframe/v2/jobs/${id}`, { headers: { "X-API-Key": KEYS.apiframe } }));

describe("request log", () => {
  it("records every reseller and file request with its fields, but not the admin endpoints", async () => {
    const submitted = await post(
      `${emu.url}/reve2img/api/v1/generate`,
      { model: "reve-2.0", prompt: "logged" },
      { Authorization: `Bearer ${KEYS.reve2img}`, "X-Trace": "abc" },
    );
    const data = (await json(submitted)).data as { task_id: string; response: { resultUrls: string[] } };
    await fetch(`${emu.url}/reve2img/api/v1/status?task_id=${data.task_id}`, {
      headers: { Authorization: `Bearer ${KEYS.reve2img}` },
    });
    await fetchPng(data.response.resultUrls[0]!);
    await post(`${emu.url}/pixazo/reve-image/v1/image-edit`, "plain text", {});
    await fetch(`${emu.url}/__emulator/health`);

    const log = await waitFor(
      () => emu.requests(),
      (l) => l.length >= 4,
    );
    expect(log.map((r) => [r.provider, r.method, r.path, r.status])).toEqual([
      ["reve2img", "POST", "/api/v1/generate", 200],
      ["reve2img", "GET", "/api/v1/status", 200],
      ["files", "GET", expect.stringMatching(/^\/[0-9a-f-]+\.png$/), 200],
      ["pixazo", "POST", "/reve-image/v1/image-edit", 401],
    ]);
    const [generate, status, , text] = log as [LoggedRequest, LoggedRequest, LoggedRequest, LoggedRequest];
    expect(generate.fullPath).toBe("/reve2img/api/v1/generate");
    expect(generate.headers["x-trace"]).toBe("abc");
    expect(generate.headers.authorization).toBe(`Bearer ${KEYS.reve2img}`);
    expect(generate.body).toEqual({ model: "reve-2.0", prompt: "logged" });
    expect(generate.seq).toBeLessThan(status.seq);
    expect(generate.endedAt).toBeGreaterThanOrEqual(generate.startedAt);
    expect(status.query).toEqual({ task_id: data.task_id });
    expect(status.fullPath).toBe(`/reve2img/api/v1/status?task_id=${data.task_id}`);
    expect(status.body).toBeNull();
    expect(text.body).toBe("plain text");

    const viaAdmin = (await (await fetch(`${emu.url}/__emulator/requests`)).json()) as LoggedRequest[];
    expect(viaAdmin.map((r) => r.seq)).toEqual(log.map((r) => r.seq));
    expect((await fetch(`${emu.url}/__emulator/requests`, { method: "DELETE" })).status).toBe(204);
    expect(emu.requests()).toEqual([]);
  });
});

describe("admin endpoints", () => {
  it("reads and patches the config without ever showing the keys", async () => {
    const health = await json(await fetch(`${emu.url}/__emulator/health`));
    expect(health.ok).toBe(true);
    const before = await json(await fetch(`${emu.url}/__emulator/config`));
    expect(before.jobMs).toBe(300);
    expect(JSON.stringify(before)).not.toContain(KEYS.apiframe);

    const patched = await post(`${emu.url}/__emulator/config`, { webhookRepeat: 4, failRate: 0 }, {});
    expect(patched.status).toBe(200);
    expect(emu.config.webhookRepeat).toBe(4);
    const bad = await post(`${emu.url}/__emulator/config`, { jobMs: -1, bogus: true }, {});
    expect(bad.status).toBe(400);
    emu.configure({ webhookRepeat: 1 });
  });

  it("lists each job with the moment it ended, on the same clock as its status answers", async () => {
    const id = (await json(await apiframe("listed job"))).jobId as string;
    const listed = async () =>
      ((await (await fetch(`${emu.url}/__emulator/jobs`)).json()) as JobLogEntry[]).find((j) => j.id === id);
    const running = await listed();
    expect(running).toMatchObject({ provider: "apiframe", operation: "create", completedAt: null });
    expect(running?.phase).not.toBe("succeeded");

    const done = await waitFor(listed, (j) => j?.phase === "succeeded");
    // A create ends exactly its duration (jobMs 300 here) after the emulator took it.
    expect(done!.completedAt).toBe(done!.createdAt + 300);
    const answer = await apiframeJob(id);
    expect(answer.status).toBe("COMPLETED");
    // The files it lists are the ones the status answer points at.
    expect(JSON.stringify(answer)).toContain(`/files/${done!.fileIds[0]}.png`);
  });

  it("accepts a new key through configure and rejects the old one", async () => {
    emu.configure({ apiframeKey: "afk_rotated" });
    try {
      expect((await apiframe("x")).status).toBe(401);
      const rotated = await post(
        `${emu.url}/apiframe/v2/images/generate`,
        { prompt: "x", model: "reve-create" },
        { "X-API-Key": "afk_rotated" },
      );
      expect(rotated.status).toBe(202);
    } finally {
      emu.configure({ apiframeKey: KEYS.apiframe });
    }
  });
});

describe("failure injection", () => {
  it("[emu:timeout] never answers: the client gives up and the log shows status 0", async () => {
    const attempt = fetch(`${emu.url}/apiframe/v2/images/generate`, {
      method: "POST",
      headers: { "X-API-Key": KEYS.apiframe, "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "hang [emu:timeout]", model: "reve-create" }),
      signal: AbortSignal.timeout(300),
    });
    await expect(attempt).rejects.toThrow();
    const log = await waitFor(
      () => emu.requests(),
      (l) => l.some((r) => r.path === "/v2/images/generate"),
    );
    expect(log.find((r) => r.path === "/v2/images/generate")?.status).toBe(0);
  });

  it("[emu:never] stays PROCESSING well past its duration", async () => {
    const id = (await json(await apiframe("forever [emu:never]"))).jobId as string;
    await new Promise((r) => setTimeout(r, 800));
    expect((await apiframeJob(id)).status).toBe("PROCESSING");
  });

  it("failRate fails the same share of jobs, the same way on every read", async () => {
    emu.configure({ failRate: 1, jobMs: 50 });
    try {
      const ids = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(async (i) => (await json(await apiframe(`rate ${i}`))).jobId as string),
      );
      const jobs = await Promise.all(
        ids.map((id) =>
          waitFor(
            () => apiframeJob(id),
            (j) => j.status === "FAILED" || j.status === "COMPLETED",
          ),
        ),
      );
      expect(jobs.every((j) => j.status === "FAILED")).toBe(true);
      const again = await Promise.all(ids.map(apiframeJob));
      expect(again.map((j) => j.error)).toEqual(jobs.map((j) => j.error));
    } finally {
      emu.configure({ failRate: 0, jobMs: 300 });
    }
  });

  it("expires result files after fileTtlMs", async () => {
    // A lifetime long enough for the first read on a busy machine; then the file must go.
    emu.configure({ fileTtlMs: 3000, jobMs: 0 });
    try {
      const id = (await json(await apiframe("short lived"))).jobId as string;
      const done = await waitFor(
        () => apiframeJob(id),
        (j) => j.status === "COMPLETED",
      );
      const url = done.result as string;
      expect((await fetch(url)).status).toBe(200);
      await waitFor(
        () => fetch(url),
        (r) => r.status === 404,
      );
    } finally {
      emu.configure({ fileTtlMs: 0, jobMs: 300 });
    }
  });
});

describe("webhooks", () => {
  it("survives a target that is down: retries, records the failures and keeps serving", async () => {
    const gone = await localServer(() => undefined);
    await gone.close();
    const id = (await json(await apiframe("nobody home", { webhook_url: `${gone.url}/hook` })))
      .jobId as string;
    const attempts = await waitFor(
      () => emu.webhookDeliveries().filter((d) => d.jobId === id),
      (d) => d.length >= 3,
    );
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ]);
    expect((await fetch(`${emu.url}/__emulator/health`)).status).toBe(200);
    expect((await apiframeJob(id)).status).toBe("COMPLETED");
  });

  it("retries a delivery the target answered with 500", async () => {
    let calls = 0;
    const flaky = await localServer((_req, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 500 : 200).end();
    });
    try {
      await apiframe("flaky", { webhook_url: `${flaky.url}/hook` });
      await waitFor(
        () => flaky.received.length,
        (n) => n >= 2,
      );
      expect(flaky.received[0]!.body).toBe(flaky.received[1]!.body);
    } finally {
      await flaky.close();
    }
  });
});

describe("routing", () => {
  it("answers 404 for unknown paths and 405 for known paths with another method", async () => {
    expect((await fetch(`${emu.url}/nowhere`)).status).toBe(404);
    expect(
      (await fetch(`${emu.url}/apiframe/v3/nothing`, { headers: { "X-API-Key": KEYS.apiframe } })).status,
    ).toBe(404);
    const wrongMethod = await fetch(`${emu.url}/reve2img/api/v1/generate`);
    expect(wrongMethod.status).toBe(405);
    expect(await json(wrongMethod)).toMatchObject({ code: 405 });
    expect((await fetch(`${emu.url}/files/nope.png`)).status).toBe(404);
  });
});
