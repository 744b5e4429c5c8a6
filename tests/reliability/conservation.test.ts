import { randomBytes } from "node:crypto";
import { rm, stat } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { startEmulator, type EmulatorHandle } from "@/emulator/server";

import { assertLedgerConserved, createTestDb, type TestDb } from "../helpers/test-db";
import { samplePng } from "../fixtures/images";
import { seedUsers } from "./support/database";
import {
  type ActionCall,
  callAction,
  Client,
  freePort,
  readServerActions,
  startStudioServer,
  type StudioServer,
} from "./support/studio-server";

// Credits are conserved whatever happens: 200 concurrent submits from 20 users over HTTP to the
// real server, an emulator that fails 30% of the jobs in mixed ways and delivers every webhook
// three times (some late), and a SIGKILL of the server midway through the submits, followed by a
// restart. At the end every job is terminal, every ledger sums to its balance, no balance is
// negative, every failed job was refunded exactly once and no job was held or refunded twice.

const USERS = 20;
const SUBMITS_PER_USER = 10;
const PASSWORD = "conservation-password-1";
/** Users with this balance run out partway: their refused holds must leave no trace. */
const TIGHT_CREDITS = 5;
const CREDITS = 40;
const WEBHOOK_JITTER_MS = 2_000;
const DRAIN_LIMIT_MS = 240_000;

type Submit = { action: "createImage" | "editImage" | "remixImages"; input: Record<string, unknown> };

/** The jobs users send, in rotation: every reseller and operation, and some failure markers. */
function plan(index: number, assetId: string): Submit {
  const menu: Submit[] = [
    { action: "createImage", input: { prompt: "a lighthouse", provider: "apiframe" } },
    { action: "createImage", input: { prompt: "a harbour", provider: "reve2img", aspectRatio: "16:9" } },
    { action: "createImage", input: { prompt: "a dune", provider: "reveart", aspectRatio: "3:2" } },
    { action: "createImage", input: { prompt: "a forest", provider: "auto" } },
    { action: "editImage", input: { prompt: "make it night", assetId, provider: "pixazo" } },
    {
      action: "remixImages",
      input: { prompt: "blend", assetIds: [assetId], provider: "pixazo", aspectRatio: "1:1" },
    },
    { action: "editImage", input: { prompt: "add snow", assetId, provider: "reve2img" } },
    { action: "createImage", input: { prompt: "a canyon", provider: "apiframe" } },
    { action: "createImage", input: { prompt: "a glacier", provider: "reve2img" } },
    { action: "remixImages", input: { prompt: "mix", assetIds: [assetId], provider: "reve2img" } },
    // The first reseller answers 500, which may follow its taking the job: not resent elsewhere
    // (that could pay twice); one hold, then a refund, the reseller recorded as maybe billing.
    { action: "createImage", input: { prompt: "a crash [emu:500]", provider: "auto" } },
    // Never finishes: the sweeper fails it at its deadline.
    { action: "createImage", input: { prompt: "a wait [emu:never]", provider: "reveart" } },
    // A 2xx the adapter cannot read: maybe taken, so not resent elsewhere; failed and refunded.
    { action: "createImage", input: { prompt: "a glitch [emu:malformed]", provider: "reve2img" } },
    { action: "createImage", input: { prompt: "a meadow", provider: "reveart" } },
    { action: "editImage", input: { prompt: "warmer", assetId, provider: "pixazo" } },
    { action: "createImage", input: { prompt: "a city", provider: "auto", aspectRatio: "1:1" } },
  ];
  return menu[index % menu.length]!;
}

describe("conservation under load (PostgreSQL, real server, SIGKILL)", () => {
  const build = inject("stressBuild");
  const dataDir = path.resolve(`data/stress-conservation-${randomBytes(4).toString("hex")}`);
  let t: TestDb;
  let emulator: EmulatorHandle;
  let server: StudioServer | undefined;

  beforeAll(async () => {
    t = await createTestDb("postgres");
    emulator = await startEmulator({
      jobMs: 1500,
      failRate: 0.3,
      webhookRepeat: 3,
      webhookJitterMs: WEBHOOK_JITTER_MS,
      webhookHttpsToHttp: true,
      printRequests: false,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await emulator?.close();
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("every job ends, every ledger sums to its balance, every failure is refunded exactly once", async () => {
    const emails = Array.from(
      { length: USERS },
      (_, i) => `load-${i}-${randomBytes(3).toString("hex")}@example.test`,
    );
    const initial = emails.map((_, i) => (i % 5 === 4 ? TIGHT_CREDITS : CREDITS));
    const userIds = await seedUsers(
      t.db,
      emails.map((email, i) => ({ email, password: PASSWORD, credits: initial[i]! })),
    );

    const port = await freePort();
    const env = {
      DATABASE_URL: t.url!,
      DATA_DIR: dataDir,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      MEDIA_SIGNING_SECRET: randomBytes(32).toString("hex"),
      REVE_EMULATOR: "on",
      EMULATOR_PORT: String(emulator.port),
      // Pixazo calls back only over https; the emulator delivers those over http to this port.
      WEBHOOK_BASE_URL: `https://127.0.0.1:${port}`,
      RATE_LIMIT_SUBMITS_PER_MINUTE: "1000",
      MAX_JOBS_IN_FLIGHT: "50",
      POLLER_INTERVAL_MS: "250",
      PROVIDER_TIMEOUT_MS: "5000",
      JOB_DEADLINE_SECONDS: "45",
    };
    server = await startStudioServer(build, env, { port });
    const actions = await readServerActions(build);

    const clients = emails.map(() => new Client(server!.url));
    for (const [i, client] of clients.entries()) expect(await client.signIn(emails[i]!, PASSWORD)).toBe(true);
    const png = await samplePng(320, 240, "#4477aa");
    const assets = await Promise.all(
      clients.map(async (client) => {
        const form = new FormData();
        form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "ref.png");
        const response = await client.fetch("/api/uploads", { method: "POST", body: form });
        expect(response.status).toBe(201);
        return ((await response.json()) as { asset: { id: string } }).asset.id;
      }),
    );

    // 200 submits at once; when half have been answered, the server is killed mid-flight. After the
    // restart, whoever was cut off presses submit again, as a person would.
    const outcomes: ("accepted" | "refused" | "cut")[] = [];
    const refusals: Record<string, number> = {};
    const cut: (() => Promise<void>)[] = [];
    let answered = 0;
    const send = (client: Client, submit: Submit, retry: boolean): Promise<void> =>
      callAction(client, actions[submit.action]!, [submit.input]).then(
        (call: ActionCall) => {
          const result = call.result as { ok?: boolean; error?: { code: string } } | undefined;
          if (call.status >= 500 && !retry) return void cut.push(() => send(client, submit, true));
          answered++;
          if (result?.ok) return void outcomes.push("accepted");
          const code = result?.error?.code ?? `http_${call.status}`;
          refusals[code] = (refusals[code] ?? 0) + 1;
          outcomes.push("refused");
        },
        () => {
          if (retry) outcomes.push("cut");
          else cut.push(() => send(client, submit, true));
        },
      );
    const submits = clients.flatMap((client, u) =>
      Array.from({ length: SUBMITS_PER_USER }, (_, j) =>
        send(client, plan(u * SUBMITS_PER_USER + j + u, assets[u]!), false),
      ),
    );
    const startedAt = Date.now();
    while (answered < submits.length / 2 && answered + cut.length < submits.length) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const answeredBeforeKill = answered;
    await server.kill();
    const killedAt = Date.now();
    await Promise.all(submits);
    server = await startStudioServer(build, env, { port });
    const restartedAt = Date.now();
    const resent = cut.length;
    await Promise.all(cut.map((again) => again()));

    // Bounded wait: every job reaches a terminal state through webhooks, polls and the sweeper.
    const active = () =>
      t.db.generation.count({ where: { status: { in: ["submitting", "queued", "processing"] } } });
    while ((await active()) > 0 && Date.now() - restartedAt < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    const drainedAt = Date.now();
    expect(await active()).toBe(0);
    // Late copies of webhooks still arrive after the last job ended; they must change nothing.
    await new Promise((r) => setTimeout(r, WEBHOOK_JITTER_MS + 3000));
    await server.stop();
    server = undefined;

    const jobs = await t.db.generation.findMany({
      select: {
        id: true,
        userId: true,
        status: true,
        cost: true,
        errorCode: true,
        outputs: { select: { storageKey: true } },
      },
    });
    const ledger = await t.db.creditLedgerEntry.findMany({
      select: { generationId: true, reason: true, amount: true },
    });
    const byJob = new Map<string, { holds: number; refunds: number; held: number; refunded: number }>();
    for (const entry of ledger.filter((l) => l.generationId)) {
      const row = byJob.get(entry.generationId!) ?? { holds: 0, refunds: 0, held: 0, refunded: 0 };
      if (entry.reason === "hold") {
        row.holds++;
        row.held -= entry.amount;
      }
      if (entry.reason === "refund") {
        row.refunds++;
        row.refunded += entry.amount;
      }
      byJob.set(entry.generationId!, row);
    }
    const failed = jobs.filter((j) => j.status === "failed");
    const succeeded = jobs.filter((j) => j.status === "succeeded");
    const problems: string[] = [];
    for (const job of jobs) {
      const money = byJob.get(job.id) ?? { holds: 0, refunds: 0, held: 0, refunded: 0 };
      if (money.holds !== 1 || money.held !== job.cost)
        problems.push(`${job.id}: ${money.holds} holds of ${money.held}`);
      const refunds = job.status === "failed" ? 1 : 0;
      if (money.refunds !== refunds || money.refunded !== refunds * job.cost)
        problems.push(`${job.id} (${job.status}): ${money.refunds} refunds of ${money.refunded}`);
    }
    expect(problems).toEqual([]);
    expect(jobs.every((j) => j.status === "succeeded" || j.status === "failed")).toBe(true);
    const users = await assertLedgerConserved(t.db);
    expect(users).toBe(USERS);
    // Each balance is what the user started with minus exactly the jobs that succeeded.
    const balances = await t.db.user.findMany({ select: { id: true, credits: true } });
    for (const [i, id] of userIds.entries()) {
      const spent = succeeded.filter((j) => j.userId === id).reduce((sum, j) => sum + j.cost, 0);
      expect(balances.find((b) => b.id === id)!.credits).toBe(initial[i]! - spent);
    }
    // Every success kept its own copy of the image.
    for (const job of succeeded) {
      expect(job.outputs.length).toBeGreaterThan(0);
      for (const output of job.outputs)
        expect((await stat(path.join(dataDir, "media", output.storageKey))).size).toBeGreaterThan(0);
    }
    const refunds = ledger.filter((l) => l.reason === "refund").length;
    expect(refunds).toBe(failed.length);

    const deliveries = emulator.webhookDeliveries();
    const delivered = deliveries.filter((d) => d.status !== null && d.status >= 200 && d.status < 300).length;
    const events = await t.db.webhookEvent.count();
    const byCode: Record<string, number> = {};
    for (const job of failed) byCode[job.errorCode ?? "?"] = (byCode[job.errorCode ?? "?"] ?? 0) + 1;
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    const statuses: Record<string, number> = {};
    for (const d of deliveries)
      statuses[String(d.status ?? "unreachable")] = (statuses[String(d.status ?? "unreachable")] ?? 0) + 1;
    console.info(
      `conservation under load: ${submits.length} concurrent submits from ${USERS} users; SIGKILL after ` +
        `${answeredBeforeKill} answers (${((killedAt - startedAt) / 1000).toFixed(1)} s in), ${resent} cut off and sent again ` +
        `after the restart → ${count("accepted")} accepted, ${count("refused")} refused ${JSON.stringify(refusals)}, ` +
        `${count("cut")} lost twice\n` +
        `  jobs ${jobs.length}: ${succeeded.length} succeeded, ${failed.length} failed ${JSON.stringify(byCode)}\n` +
        `  refunds ${refunds} (= failed jobs), jobs held twice 0, refunded twice 0; ${users} ledgers = balances, none negative\n` +
        `  webhooks: ${deliveries.length} delivery attempts ${JSON.stringify(statuses)}, ${delivered} answered 2xx, ${events} distinct events, ` +
        `${delivered - events} duplicates absorbed\n` +
        `  drained ${((drainedAt - restartedAt) / 1000).toFixed(1)} s after the restart ` +
        `(${((drainedAt - startedAt) / 1000).toFixed(1)} s after the first submit)`,
    );
  });
});
