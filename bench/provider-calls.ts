// Provider calls per job: 100 jobs of 15 s each (half create on Apiframe, half edit on Pixazo), once
// with webhooks and once polling only, counted from the emulator's request log.
import type { LoggedRequest } from "@/emulator/server";

import { forEachLimit, type Bench, type BenchResult } from "./lib/bench";
import { freePort } from "./lib/ports";
import { seedUpload } from "./lib/seed-upload";
import { startBenchStack, type BenchStack } from "./lib/stack";
import { fmt, markdownTable, verdict } from "./lib/stats";
import { callAction, createUsers, findAction, signIn } from "./lib/studio-client";
import { waitFor } from "./lib/wait";

const USERS = 10;
const CREATES_PER_USER = 5;
const EDITS_PER_USER = 5;
const JOB_MS = 15_000;
const TARGET_WITH_WEBHOOKS = 1.5;
const TARGET_POLLING = 8;

// The status reads of each reseller, as the emulator logs their paths.
const STATUS_PATHS: Record<string, RegExp> = {
  apiframe: /^\/v2\/jobs\/[^/]+$/,
  pixazo: /^\/v2\/requests\/status\/[^/]+$/,
  reve2img: /^\/api\/v1\/status$/,
  reveart: /^\/v1\/reve-image\/status\/[^/]+\/?$/,
};
const isStatusCall = (r: LoggedRequest) =>
  r.method === "GET" && (STATUS_PATHS[r.provider]?.test(r.path) ?? false);

interface ModeFigures {
  jobs: number;
  succeeded: number;
  statusCalls: number;
  byProvider: Record<string, { jobs: number; statusCalls: number }>;
  /** Deliveries answered 2xx, and all delivery attempts. */
  webhooks: number;
  webhookAttempts: number;
  drainSeconds: number;
}

async function runMode(webhooks: boolean): Promise<ModeFigures> {
  const port = await freePort();
  let stack: BenchStack | undefined;
  try {
    stack = await startBenchStack(webhooks ? "calls_webhooks" : "calls_polling", {
      port,
      emulatorEnv: { EMULATOR_JOB_MS: String(JOB_MS), EMULATOR_WEBHOOK_HTTPS_TO_HTTP: "true" },
      env: webhooks
        ? // Pixazo calls back on https only; the emulator delivers such callbacks over http.
          { WEBHOOKS_ENABLED: "true", WEBHOOK_BASE_URL: `https://127.0.0.1:${port}` }
        : { WEBHOOKS_ENABLED: "false" },
    });
    const { db, studio, emulator, dataDir } = stack;
    const users = await createUsers(db.db, USERS, 1_000);
    const sessions = await Promise.all(
      users.map(async (user) => ({
        cookie: await signIn(studio.url, user.email),
        assetId: await seedUpload(db.db, dataDir, user.id),
      })),
    );
    const create = findAction("server/actions/create-image.ts", "createImage");
    const edit = findAction("server/actions/edit-image.ts", "editImage");
    await emulator.clearRequests();

    const submits = sessions.flatMap(({ cookie, assetId }) => [
      ...Array.from({ length: CREATES_PER_USER }, (_, i) => ({
        cookie,
        action: create,
        input: { prompt: `calls create ${i}`, aspectRatio: "1:1", provider: "auto" },
      })),
      ...Array.from({ length: EDITS_PER_USER }, (_, i) => ({
        cookie,
        action: edit,
        input: { prompt: `calls edit ${i}`, assetId, provider: "auto" },
      })),
    ]);
    const ids: string[] = [];
    const started = Date.now();
    await forEachLimit(submits, 10, async ({ cookie, action, input }) => {
      const { outcome } = await callAction<{ generationId: string }>(studio.url, action, [input], cookie);
      if (!outcome.ok) throw new Error(`Submit failed: ${outcome.error.message}`);
      ids.push(outcome.data.generationId);
    });

    await waitFor(
      `${ids.length} jobs to finish`,
      async () => {
        const open = await db.db.generation.count({
          where: { id: { in: ids }, status: { notIn: ["succeeded", "failed"] } },
        });
        return open === 0 ? true : undefined;
      },
      JOB_MS + 120_000,
      500,
    );
    const drainSeconds = (Date.now() - started) / 1000;
    const jobs = await db.db.generation.findMany({
      where: { id: { in: ids } },
      select: { provider: true, providerJobId: true, status: true },
    });
    const log = await emulator.requests();
    const byProvider: ModeFigures["byProvider"] = {};
    for (const job of jobs) {
      const entry = (byProvider[job.provider ?? "none"] ??= { jobs: 0, statusCalls: 0 });
      entry.jobs++;
    }
    const statusCalls = log.filter(isStatusCall);
    for (const call of statusCalls) (byProvider[call.provider] ??= { jobs: 0, statusCalls: 0 }).statusCalls++;
    const deliveries = (await (await fetch(`${emulator.url}/__emulator/webhooks`)).json()) as {
      status: number | null;
    }[];
    return {
      jobs: jobs.length,
      succeeded: jobs.filter((j) => j.status === "succeeded").length,
      statusCalls: statusCalls.length,
      byProvider,
      webhooks: deliveries.filter((d) => d.status !== null && d.status < 300).length,
      webhookAttempts: deliveries.length,
      drainSeconds,
    };
  } finally {
    await stack?.close();
  }
}

async function run(): Promise<BenchResult> {
  const withWebhooks = await runMode(true);
  const polling = await runMode(false);
  const perJob = (m: ModeFigures) => m.statusCalls / m.jobs;
  const rows = (label: string, m: ModeFigures) => [
    [
      label,
      "all",
      m.jobs,
      m.succeeded,
      m.statusCalls,
      fmt(perJob(m), 2),
      `${m.webhooks} / ${m.webhookAttempts}`,
      fmt(m.drainSeconds, 0),
    ],
    ...Object.entries(m.byProvider).map(([provider, p]) => [
      label,
      provider,
      p.jobs,
      "",
      p.statusCalls,
      fmt(p.statusCalls / Math.max(1, p.jobs), 2),
      "",
      "",
    ]),
  ];
  const met = perJob(withWebhooks) <= TARGET_WITH_WEBHOOKS && perJob(polling) <= TARGET_POLLING;
  const allSucceeded = withWebhooks.succeeded === withWebhooks.jobs && polling.succeeded === polling.jobs;
  return {
    title: "Provider calls per job",
    method:
      `${USERS * (CREATES_PER_USER + EDITS_PER_USER)} jobs of ${JOB_MS / 1000} s (emulator jobMs), submitted through ` +
      "the server actions: creates route to Apiframe, edits to Pixazo. Status calls = GETs of the resellers' " +
      "status endpoints in the emulator's request log; webhooks = the emulator's delivery attempts and " +
      "those the studio answered 2xx. Drained = first submit to the last job finished.",
    table: markdownTable(
      [
        "mode",
        "provider",
        "jobs",
        "succeeded",
        "status calls",
        "per job",
        "webhooks 2xx / sent",
        "drained in s",
      ],
      [...rows("webhooks", withWebhooks), ...rows("polling only", polling)],
    ),
    summary:
      `Status calls per job: ${fmt(perJob(withWebhooks), 2)} with webhooks (target ≤ ${TARGET_WITH_WEBHOOKS}), ` +
      `${fmt(perJob(polling), 2)} polling only (target ≤ ${TARGET_POLLING}): ${verdict(met)}` +
      `; webhooks answered 2xx: ${withWebhooks.webhooks} of ${withWebhooks.webhookAttempts} sent` +
      (allSucceeded ? "; every job succeeded." : "; NOT every job succeeded."),
    targetsMet: met && allSucceeded,
  };
}

export const providerCalls: Bench = { name: "calls", run };
