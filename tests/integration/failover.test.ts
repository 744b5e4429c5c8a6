import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getBalance } from "@/server/credits/ledger";
import { answersOf } from "@/server/generations/answers";
import { leaseIfDue, NOT_FOUND_GRACE_MS, pollLeasedJob } from "@/server/generations/poll";
import { submitGeneration } from "@/server/generations/submit";
import { sweepStuckJobs } from "@/server/generations/sweep";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, waitForTerminal } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

// What the lifecycle does with a reseller's certain refusals, its ambiguous answers and refused
// status reads. A small stand-in server plays Apiframe (the first reseller Auto tries for create).

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function standIn(handler: Handler) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe.each(DB_KINDS)("failover and refused reads on %s", (kind) => {
  let statusAnswer: { status: number; body: unknown } = { status: 401, body: { error: "Unauthorized" } };
  let submitAnswer: { status: number; body: unknown } = { status: 402, body: { error: "Payment Required" } };
  let apiframe: Awaited<ReturnType<typeof standIn>>;
  beforeAll(async () => {
    apiframe = await standIn((req, res) => {
      const answer = req.method === "POST" ? submitAnswer : statusAnswer;
      json(res, answer.status, answer.body);
    });
  });
  afterAll(async () => {
    await apiframe.close();
  });

  /** A job sent straight to the stand-in Apiframe, with webhooks off, and a way to poll it now. */
  async function apiframeJob() {
    const h = await createLifecycleHarness(kind, {
      baseUrls: { apiframe: apiframe.url },
      config: { webhookBaseUrl: undefined },
    });
    try {
      const user = await makeUser(h.t.db, 10);
      const { generationId } = await submitGeneration(h.deps, {
        userId: user.id,
        kind: "create",
        prompt: "a red fox",
        provider: "apiframe",
      });
      const pollNow = async () => {
        await h.t.db.generation.update({ where: { id: generationId }, data: { nextPollAt: new Date(0) } });
        const job = await leaseIfDue(h.deps, generationId, "test");
        return job ? pollLeasedJob(h.deps, job, "test") : "not due";
      };
      return { h, user, generationId, pollNow };
    } catch (error) {
      await h.close();
      throw error;
    }
  }

  it("with Auto, a 402 from the first reseller lands the job on the next one: one hold, no refund", async () => {
    submitAnswer = { status: 402, body: { error: "Payment Required", message: "Not enough credits." } };
    const h = await createLifecycleHarness(kind, { baseUrls: { apiframe: apiframe.url } });
    try {
      const user = await makeUser(h.t.db, 10);
      const { generationId } = await submitGeneration(h.deps, {
        userId: user.id,
        kind: "create",
        prompt: "a red fox",
        provider: "auto",
      });
      const job = await waitForTerminal(h.deps, generationId);
      expect(job.status).toBe("succeeded");
      expect(job.attemptedProviders[0]).toBe("apiframe");
      expect(job.attemptedProviders).toHaveLength(2);
      expect(job.provider).not.toBe("apiframe");
      expect(job.mayHaveBilledBy).toBeNull();
      const ledger = await h.t.db.creditLedgerEntry.findMany({ where: { generationId } });
      expect(ledger.map((e) => e.reason)).toEqual(["hold"]);
      expect(await getBalance(h.t.db, user.id)).toBe(9);
      // The refusing reseller rests: the next Auto job tries it last.
      expect(h.deps.registry.candidates("create", { images: 0 }, "auto").at(-1)?.id).toBe("apiframe");
      // Its raw refusal is kept for the operator.
      const answers = await answersOf(h.deps, generationId);
      expect(answers.some((a) => a.provider === "apiframe" && a.httpStatus === 402)).toBe(true);
      await assertLedgerConserved(h.t.db);
    } finally {
      await h.close();
    }
  });

  it("a 401 on status reads leaves the running job running, pauses that reseller, and the deadline still ends it", async () => {
    submitAnswer = { status: 202, body: { jobId: "job-1", status: "QUEUED" } };
    statusAnswer = { status: 401, body: { error: "Unauthorized" } };
    const { h, user, generationId, pollNow } = await apiframeJob();
    try {
      expect(await pollNow()).toBe("unchanged");
      expect(await pollNow()).toBe("unchanged");
      const job = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
      expect(job.status).toBe("queued");
      expect(h.deps.registry.statusPausedUntil("apiframe")).toBeGreaterThan(Date.now());
      // Paused: the next poll waits for the pause instead of asking again.
      expect(job.nextPollAt!.getTime()).toBeGreaterThan(Date.now() + 10_000);
      expect(await getBalance(h.t.db, user.id)).toBe(9);

      await sweepStuckJobs(h.deps, new Date(job.deadlineAt.getTime() + 1));
      const ended = await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } });
      expect(ended).toMatchObject({ status: "failed", errorCode: "deadline" });
      expect(await getBalance(h.t.db, user.id)).toBe(10);
    } finally {
      await h.close();
    }
  });

  it("a 'not found' in the first minute after submit is retried; later it ends the job", async () => {
    submitAnswer = { status: 202, body: { jobId: "job-2", status: "QUEUED" } };
    statusAnswer = { status: 404, body: { error: "Not Found" } };
    const { h, user, generationId, pollNow } = await apiframeJob();
    try {
      expect(await pollNow()).toBe("unchanged");
      expect((await h.t.db.generation.findUniqueOrThrow({ where: { id: generationId } })).status).toBe(
        "queued",
      );
      await h.t.db.generation.update({
        where: { id: generationId },
        data: { submittedAt: new Date(Date.now() - NOT_FOUND_GRACE_MS - 1000) },
      });
      expect(await pollNow()).toBe("failed");
      expect(await getBalance(h.t.db, user.id)).toBe(10);
    } finally {
      await h.close();
    }
  });
});
