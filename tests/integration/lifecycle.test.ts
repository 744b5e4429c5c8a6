import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { ProviderId } from "@/lib/domain";
import { getBalance } from "@/server/credits/ledger";
import { submitGeneration, type SubmitRequest } from "@/server/generations/submit";
import { sweepStuckJobs } from "@/server/generations/sweep";
import { applyProviderUpdate } from "@/server/generations/reconcile";
import { receiveWebhook } from "@/server/generations/webhook";

import { makeUser } from "../helpers/app-db";
import type { LifecycleHarness } from "../helpers/lifecycle";
import { createLifecycleHarness, seedUpload, waitForTerminal } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

const until = async (check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
};

describe.each(DB_KINDS)("job lifecycle on %s", (kind) => {
  let h: LifecycleHarness;
  beforeAll(async () => {
    h = await createLifecycleHarness(kind);
  });
  afterEach(async () => {
    // Each test may rebuild the dependencies with its own settings; the next starts from the defaults.
    h.restart();
    await assertLedgerConserved(h.t.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  const submit = (userId: string, request: Omit<SubmitRequest, "userId">) =>
    submitGeneration(h.deps, { userId, ...request });

  const cases: {
    kind: SubmitRequest["kind"];
    provider: ProviderId;
    ratio?: "16:9" | "1:1";
    images: number;
  }[] = [
    { kind: "create", provider: "apiframe", images: 0 },
    { kind: "create", provider: "reve2img", ratio: "16:9", images: 0 },
    { kind: "create", provider: "reveart", ratio: "16:9", images: 0 },
    { kind: "edit", provider: "pixazo", images: 1 },
    { kind: "edit", provider: "reve2img", images: 1 },
    { kind: "remix", provider: "pixazo", ratio: "16:9", images: 3 },
    { kind: "remix", provider: "reve2img", ratio: "1:1", images: 2 },
  ];

  it.each(cases)("$kind on $provider: held, sent, stored in our storage and succeeded", async (c) => {
    const user = await makeUser(h.t.db, 20);
    const uploads = await Promise.all(
      Array.from({ length: c.images }, (_, i) =>
        seedUpload(h.deps, user.id, ["#d53a3a", "#3ad57b", "#3a7bd5"][i % 3]!),
      ),
    );
    const { generationId } = await submit(user.id, {
      kind: c.kind,
      prompt: `a lighthouse at dusk ${c.kind} ${c.provider}`,
      provider: c.provider,
      ...(c.ratio ? { aspectRatio: c.ratio } : {}),
      ...(c.images ? { assetIds: uploads.map((u) => u.id) } : {}),
    });
    const price = h.deps.config.prices[c.kind];
    expect(await getBalance(h.t.db, user.id)).toBe(20 - price);

    const job = await waitForTerminal(h.deps, generationId);
    expect(job.status).toBe("succeeded");
    expect(job.provider).toBe(c.provider);
    const outputs = await h.t.db.asset.findMany({ where: { generationId } });
    expect(outputs.length).toBeGreaterThanOrEqual(1);
    const stored = await h.deps.storage.get(outputs[0]!.storageKey);
    expect(stored).not.toBeNull();
    const meta = await sharp(stored!.body).metadata();
    expect([meta.width, meta.height]).toEqual([outputs[0]!.width, outputs[0]!.height]);
    if (c.ratio === "16:9") expect(outputs[0]!.width).toBeGreaterThan(outputs[0]!.height);
    expect(outputs[0]!.thumbKey && (await h.deps.storage.exists(outputs[0]!.thumbKey))).toBe(true);
    expect(outputs[0]!.thumbhash).toBeTruthy();
    // Charged exactly once, never refunded.
    const ledger = await h.t.db.creditLedgerEntry.findMany({ where: { generationId } });
    expect(ledger.map((l) => [l.reason, l.amount])).toEqual([["hold", -price]]);
    expect(await getBalance(h.t.db, user.id)).toBe(20 - price);
  });

  it("edit sends the provider a signed URL of our own copy, and the provider fetched it", async () => {
    const user = await makeUser(h.t.db, 5);
    const upload = await seedUpload(h.deps, user.id);
    h.emulator.clearRequests();
    const { generationId } = await submit(user.id, {
      kind: "edit",
      prompt: "make it night",
      provider: "pixazo",
      assetIds: [upload.id],
    });
    const sent = h.emulator.requests().find((r) => r.provider === "pixazo" && r.method === "POST");
    const image = (sent?.body as { image: string }).image;
    expect(image.startsWith(`${h.appUrl}/api/media/signed/`)).toBe(true);
    expect(new URL(image).searchParams.get("sig")).toBeTruthy();
    expect(new URL(image).searchParams.get("exp")).toBeTruthy();
    expect((await waitForTerminal(h.deps, generationId)).status).toBe("succeeded");
  });

  it("polls a Pixazo job promptly when the callback URL is plain http, which Pixazo never calls", async () => {
    const deps = h.restart({
      webhookBaseUrl: h.appUrl,
      webhookFallbackMs: 60_000,
      pollMinMs: 500,
      pollMaxMs: 500,
    });
    const user = await makeUser(h.t.db, 5);
    const upload = await seedUpload(deps, user.id);
    h.emulator.clearRequests();
    const { generationId } = await submit(user.id, {
      kind: "edit",
      prompt: "dusk",
      provider: "pixazo",
      assetIds: [upload.id],
    });
    const sent = h.emulator.requests().find((r) => r.provider === "pixazo" && r.method === "POST");
    expect(sent?.headers["x-webhook-url"]).toBeUndefined();
    const job = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    expect(job.nextPollAt!.getTime() - job.submittedAt!.getTime()).toBeLessThan(5_000);
    expect((await waitForTerminal(deps, generationId)).status).toBe("succeeded");
  });

  // A 5xx after the request arrived may come from a gateway in front of a reseller that took the
  // job: sending it elsewhere could pay twice, so it fails, is refunded, and the reseller is noted.
  it("a 500 on submit is not failed over: refunded, never resent, the reseller noted", async () => {
    const broken = createServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":"Internal Server Error"}');
    });
    await new Promise<void>((r) => broken.listen(0, "127.0.0.1", r));
    const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    const local = await createLifecycleHarness(kind, { baseUrls: { apiframe: brokenUrl } });
    try {
      const user = await makeUser(local.t.db, 10);
      const { generationId } = await submitGeneration(local.deps, {
        userId: user.id,
        kind: "create",
        prompt: "a red fox",
        provider: "auto",
      });
      const job = await local.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
      expect(job.status).toBe("failed");
      expect(job.attemptedProviders).toEqual(["apiframe"]);
      expect(job.mayHaveBilledBy).toBe("apiframe");
      const holds = await local.t.db.creditLedgerEntry.count({ where: { generationId, reason: "hold" } });
      expect(holds).toBe(1);
      expect(await getBalance(local.t.db, user.id)).toBe(10);
      await assertLedgerConserved(local.t.db);
    } finally {
      await local.close();
      broken.close();
    }
  });

  it("a job that fails at the provider is refunded exactly once", async () => {
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submit(user.id, {
      kind: "create",
      prompt: "a storm [emu:fail]",
      provider: "reveart",
    });
    const job = await waitForTerminal(h.deps, generationId);
    expect(job.status).toBe("failed");
    expect(job.errorMessage).toMatch(/Not charged/);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
    // Any later word from the provider changes nothing.
    const again = await applyProviderUpdate(h.deps, generationId, {
      state: "failed",
      providerJobId: job.providerJobId!,
      failure: { code: "provider_error", retryable: false, message: "x" },
    });
    expect(again).toBe("stale");
    const late = await applyProviderUpdate(h.deps, generationId, {
      state: "succeeded",
      providerJobId: job.providerJobId!,
      outputs: [{ url: "https://example.invalid/x.png" }],
    });
    expect(late).toBe("stale");
    expect(await h.t.db.creditLedgerEntry.count({ where: { generationId, reason: "refund" } })).toBe(1);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("refuses a submit the provider rejects up front and charges nothing", async () => {
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submit(user.id, {
      kind: "create",
      prompt: "broke [emu:402]",
      provider: "reveart",
    });
    const job = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    expect(job.status).toBe("failed");
    expect(job.errorCode).toBe("provider_quota");
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("a webhook delivered three times makes one transition and one download", async () => {
    h.emulator.configure({ webhookRepeat: 3 });
    try {
      const user = await makeUser(h.t.db, 5);
      const start = h.webhookOutcomes.length;
      h.emulator.clearRequests();
      const { generationId } = await submit(user.id, {
        kind: "create",
        prompt: "three bells",
        provider: "apiframe",
      });
      await until(async () => h.webhookOutcomes.length - start >= 3);
      await until(
        async () =>
          (await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } })).status === "succeeded",
      );
      const outcomes = h.webhookOutcomes.slice(start);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
      expect(outcomes.filter((o) => o === "succeeded")).toHaveLength(1);
      expect(await h.t.db.asset.count({ where: { generationId } })).toBe(1);
      expect(await h.t.db.webhookEvent.count({ where: { generationId } })).toBe(1);
      const downloads = h.emulator.requests().filter((r) => r.provider === "files");
      expect(downloads).toHaveLength(1);
      // The webhook did the work: the job was never polled.
      const polls = h.emulator.requests().filter((r) => r.provider === "apiframe" && r.method === "GET");
      expect(polls).toHaveLength(0);
    } finally {
      h.emulator.configure({ webhookRepeat: 1 });
    }
  });

  it("a failed job's webhook delivered three times refunds once", async () => {
    h.emulator.configure({ webhookRepeat: 3 });
    try {
      const user = await makeUser(h.t.db, 5);
      const { generationId } = await submit(user.id, {
        kind: "create",
        prompt: "no luck [emu:fail]",
        provider: "apiframe",
      });
      await until(
        async () =>
          (await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } })).status === "failed",
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await h.t.db.creditLedgerEntry.count({ where: { generationId, reason: "refund" } })).toBe(1);
      expect(await getBalance(h.t.db, user.id)).toBe(5);
    } finally {
      h.emulator.configure({ webhookRepeat: 1 });
    }
  });

  it("a webhook and a poll racing complete the job once", async () => {
    const deps = h.restart({ webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submit(user.id, {
      kind: "create",
      prompt: "a race",
      provider: "apiframe",
    });
    const job = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
    let status = await deps.registry.get("apiframe").getStatus(job.providerJobId!);
    await until(async () => {
      status = await deps.registry.get("apiframe").getStatus(job.providerJobId!);
      return status.state === "succeeded";
    });
    const results = await Promise.all([
      applyProviderUpdate(deps, generationId, status),
      applyProviderUpdate(deps, generationId, status),
      waitForTerminal(deps, generationId).then(() => "polled"),
    ]);
    expect(results.filter((r) => r === "succeeded").length).toBeLessThanOrEqual(1);
    await waitForTerminal(deps, generationId);
    expect(await h.t.db.asset.count({ where: { generationId } })).toBe(1);
  });

  it("refuses a forged webhook token, a token of another job, and a malformed body", async () => {
    const deps = h.restart({ webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 5);
    const a = await submit(user.id, { kind: "create", prompt: "job a [emu:never]", provider: "apiframe" });
    const b = await submit(user.id, { kind: "create", prompt: "job b [emu:never]", provider: "apiframe" });
    const jobA = await h.t.db.generation.findUniqueOrThrow({ where: { id: a.generationId } });
    const body = JSON.stringify({ jobId: jobA.providerJobId, status: "FAILED", error: "forged" });
    const call = {
      provider: "apiframe",
      generationId: a.generationId,
      rawBody: body,
      headers: new Headers(),
    };
    await expect(receiveWebhook(deps, { ...call, token: "forged-token" })).rejects.toMatchObject({
      status: 401,
    });
    await expect(receiveWebhook(deps, { ...call, token: null })).rejects.toMatchObject({ status: 401 });
    await expect(receiveWebhook(deps, { ...call, provider: "pixazo", token: "x" })).rejects.toMatchObject({
      status: 401,
    });
    const after = await h.t.db.generation.findUniqueOrThrow({ where: { id: a.generationId } });
    expect(after.status).not.toBe("failed");
    expect(await getBalance(h.t.db, user.id)).toBe(3);
    // Clean up: end both jobs so the in-flight count does not leak into other tests.
    await h.t.db.generation.updateMany({
      where: { id: { in: [a.generationId, b.generationId] } },
      data: { deadlineAt: new Date(0) },
    });
    await sweepStuckJobs(deps);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("a real webhook token for one job cannot move another job, and a malformed body is refused", async () => {
    const user = await makeUser(h.t.db, 5);
    h.emulator.clearRequests();
    const a = await submit(user.id, { kind: "create", prompt: "job c [emu:never]", provider: "apiframe" });
    const b = await submit(user.id, { kind: "create", prompt: "job d [emu:never]", provider: "apiframe" });
    const sentA = h.emulator
      .requests()
      .find((r) => r.method === "POST" && JSON.stringify(r.body).includes("job c"));
    const tokenA = new URL((sentA!.body as { webhook_url: string }).webhook_url).searchParams.get("token");
    const jobB = await h.t.db.generation.findUniqueOrThrow({ where: { id: b.generationId } });
    const forB = JSON.stringify({ jobId: jobB.providerJobId, status: "FAILED", error: "x" });
    await expect(
      receiveWebhook(h.deps, {
        provider: "apiframe",
        generationId: b.generationId,
        token: tokenA,
        rawBody: forB,
        headers: new Headers(),
      }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      receiveWebhook(h.deps, {
        provider: "apiframe",
        generationId: a.generationId,
        token: tokenA,
        rawBody: forB,
        headers: new Headers(),
      }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      receiveWebhook(h.deps, {
        provider: "apiframe",
        generationId: a.generationId,
        token: tokenA,
        rawBody: "{not json",
        headers: new Headers(),
      }),
    ).rejects.toMatchObject({ status: 400 });
    for (const id of [a.generationId, b.generationId]) {
      expect((await h.t.db.generation.findUniqueOrThrow({ where: { id } })).status).not.toBe("failed");
    }
    await h.t.db.generation.updateMany({
      where: { id: { in: [a.generationId, b.generationId] } },
      data: { deadlineAt: new Date(0) },
    });
    await sweepStuckJobs(h.deps);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("a restart mid-job resumes it: a new process finishes what the old one started", async () => {
    h.restart({ webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submit(user.id, {
      kind: "create",
      prompt: "survives restarts [emu:slow=800]",
      provider: "reve2img",
    });
    // The old process holds a lease when it dies.
    await h.t.db.generation.update({
      where: { id: generationId },
      data: { leaseOwner: "dead-process", leaseExpiresAt: new Date(Date.now() + 300) },
    });
    const fresh = h.restart({ webhookBaseUrl: undefined });
    const job = await waitForTerminal(fresh, generationId);
    expect(job.status).toBe("succeeded");
    expect(await h.t.db.asset.count({ where: { generationId } })).toBe(1);
  });

  it("a job that never finishes is swept at its deadline and refunded", async () => {
    const deps = h.restart({ deadlineMs: 600, webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submit(user.id, {
      kind: "create",
      prompt: "forever [emu:never]",
      provider: "reveart",
    });
    expect(await getBalance(h.t.db, user.id)).toBe(4);
    const job = await waitForTerminal(deps, generationId);
    expect(job.status).toBe("failed");
    expect(job.errorCode).toBe("deadline");
    expect(job.errorMessage).toMatch(/Not charged/);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("a job lost between the hold and the provider's answer is failed and refunded", async () => {
    const deps = h.restart({ submittingGraceMs: 100 });
    const user = await makeUser(h.t.db, 5);
    await h.t.db.$transaction(async (tx) => {
      const g = await tx.generation.create({
        data: {
          userId: user.id,
          kind: "create",
          prompt: "lost",
          cost: 1,
          deadlineAt: new Date(Date.now() + 60_000),
        },
      });
      const { holdForGeneration } = await import("@/server/credits/ledger");
      await holdForGeneration(tx, { userId: user.id, generationId: g.id, amount: 1 });
    });
    expect(await getBalance(h.t.db, user.id)).toBe(4);
    // The sweeper's clock, a minute on: past the grace, however long the steps above took.
    expect(await sweepStuckJobs(deps, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("refuses a result URL on a private address, fails the job and refunds it", async () => {
    const deps = h.restart({
      download: { ...h.deps.config.download, allowHosts: [] },
      webhookBaseUrl: undefined,
    });
    const user = await makeUser(h.t.db, 5);
    const { generationId } = await submit(user.id, { kind: "create", prompt: "ssrf", provider: "reveart" });
    const job = await waitForTerminal(deps, generationId);
    expect(job.status).toBe("failed");
    expect(job.errorCode).toBe("download_failed");
    expect(await h.t.db.asset.count({ where: { generationId } })).toBe(0);
    expect(await getBalance(h.t.db, user.id)).toBe(5);
  });

  it("enforces the in-flight cap with a message, charging nothing for the refused job", async () => {
    const deps = h.restart({ maxJobsInFlight: 2, webhookBaseUrl: undefined });
    const user = await makeUser(h.t.db, 10);
    const jobs = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        submitGeneration(deps, {
          userId: user.id,
          kind: "create",
          prompt: `busy ${i} [emu:never]`,
          provider: "reveart",
        }),
      ),
    );
    const refused = jobs.filter((j) => j.status === "rejected");
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: "too_many_jobs" });
    expect(((refused[0] as PromiseRejectedResult).reason as Error).message).toMatch(
      /Try again when one finishes/,
    );
    expect(await getBalance(h.t.db, user.id)).toBe(8);
    await h.t.db.generation.updateMany({ where: { userId: user.id }, data: { deadlineAt: new Date(0) } });
    await sweepStuckJobs(deps);
    expect(await getBalance(h.t.db, user.id)).toBe(10);
  });
});

describe.each(DB_KINDS)("submit rate limit on %s", (kind) => {
  let h: LifecycleHarness;
  beforeAll(async () => {
    h = await createLifecycleHarness(kind, { submitsPerMinute: 3 });
  });
  afterAll(async () => {
    await assertLedgerConserved(h.t.db);
    await h?.close();
  });

  it("the fourth submit in a minute is refused with the wait, and not charged", async () => {
    const user = await makeUser(h.t.db, 10);
    for (let i = 0; i < 3; i++) {
      await submitGeneration(h.deps, {
        userId: user.id,
        kind: "create",
        prompt: `quick ${i}`,
        provider: "reveart",
      });
    }
    await expect(
      submitGeneration(h.deps, { userId: user.id, kind: "create", prompt: "one more", provider: "reveart" }),
    ).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/Try again in \d+ seconds?/),
    });
    expect(await h.t.db.generation.count({ where: { userId: user.id } })).toBe(3);
    expect(await getBalance(h.t.db, user.id)).toBe(7);
  });
});
