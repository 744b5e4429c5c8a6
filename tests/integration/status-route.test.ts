import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as StatusRoute from "@/app/api/generations/[id]/route";
import type { GenerationDto } from "@/lib/dto";
import { setDb } from "@/server/db/client";
import { setLifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";

import { makeUser } from "../helpers/app-db";
import type { LifecycleHarness } from "../helpers/lifecycle";
import { createLifecycleHarness } from "../helpers/lifecycle";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("GET /api/generations/<id> on %s", (kind) => {
  let h: LifecycleHarness;
  let GET: typeof StatusRoute.GET;

  beforeAll(async () => {
    h = await createLifecycleHarness(kind, {
      config: { webhookBaseUrl: undefined, pollMinMs: 100, pollMaxMs: 100 },
    });
    setDb(h.t.db);
    setLifecycleDeps(h.deps);
    ({ GET } = await import("@/app/api/generations/[id]/route"));
  });
  afterAll(async () => {
    await assertLedgerConserved(h.t.db);
    await h?.close();
  });

  const read = async (id: string) => {
    const response = await GET(new Request(`http://local/api/generations/${id}`), {
      params: Promise.resolve({ id }),
    });
    return {
      status: response.status,
      body: (await response.json()) as GenerationDto & { error?: { code: string } },
    };
  };

  it("polls the provider when due and returns the finished job with our own media URLs", async () => {
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submitGeneration(h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "polled by the status route",
      provider: "reveart",
      aspectRatio: "16:9",
    });
    signInAs(user);
    const first = await read(generationId);
    expect(first.status).toBe(200);
    expect(["queued", "processing", "succeeded"]).toContain(first.body.status);

    const deadline = Date.now() + 60_000;
    let body = first.body;
    while (body.status !== "succeeded" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      body = (await read(generationId)).body;
    }
    expect(body.status).toBe("succeeded");
    expect(body.charged).toBe(true);
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0]!.url).toBe(`/api/media/${body.outputs[0]!.id}/original`);
    expect(body.outputs[0]!.width / body.outputs[0]!.height).toBeCloseTo(16 / 9, 1);
    expect(body.elapsedMs).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|storageKey|webhookToken/);
  });

  it("many tabs reading at once make one provider call per due time", async () => {
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submitGeneration(h.deps, {
      userId: user.id,
      kind: "create",
      prompt: "busy tabs [emu:never]",
      provider: "reveart",
    });
    const job = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    await h.t.db.generation.update({ where: { id: generationId }, data: { nextPollAt: new Date(0) } });
    h.emulator.clearRequests();
    signInAs(user);
    // The next due time is a minute after the poll, so however slowly ten reads run on a busy
    // machine, a second call could only come from a second caller taking the same due time.
    const { pollMinMs, pollMaxMs } = h.deps.config;
    Object.assign(h.deps.config, { pollMinMs: 60_000, pollMaxMs: 60_000 });
    try {
      await Promise.all(Array.from({ length: 10 }, () => read(generationId)));
    } finally {
      Object.assign(h.deps.config, { pollMinMs, pollMaxMs });
    }
    const polls = h.emulator
      .requests()
      .filter((r) => r.method === "GET" && r.path.includes(job.providerJobId!));
    console.info(`[${kind}] 10 concurrent status reads of one due job: ${polls.length} provider call(s)`);
    expect(polls).toHaveLength(1);
    await h.t.db.generation.update({ where: { id: generationId }, data: { deadlineAt: new Date(0) } });
    const { sweepStuckJobs } = await import("@/server/generations/sweep");
    await sweepStuckJobs(h.deps);
  });

  it("answers 404 for someone else's job and 401 without a session", async () => {
    const owner = await makeUser(h.t.db, 5);
    const other = await makeUser(h.t.db, 5);
    const { generationId } = await submitGeneration(h.deps, {
      userId: owner.id,
      kind: "create",
      prompt: "private",
      provider: "reveart",
    });
    signInAs(other);
    const foreign = await read(generationId);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.code).toBe("not_found");
    signOutAll();
    expect((await read(generationId)).status).toBe(401);
  });
});
