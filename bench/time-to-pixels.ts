// Time to pixels: from the moment the reseller (the emulator) finishes a job to the `load` event of
// its image in Chromium, on the create page, for jobs submitted through the form. The studio runs as
// `npm start` does with no configuration (PGlite, local media, the emulator); only the submit limits
// are lifted. Two paths: 1:1, which Auto routes to Apiframe with a webhook, and 16:9, which it routes
// to reve2img, polled only. Each path: jobs one at a time, then batches of 4; the page's requests to
// /api/* are counted per job. The emulator's clock and the browser's are this machine's wall clock.
import { loadavg } from "node:os";

import type { Page } from "@playwright/test";

import type { PrismaClient } from "@/server/db/generated/client";
import type { JobLogEntry, LoggedRequest, WebhookDelivery } from "@/emulator/server";

import { forEachLimit, type Bench, type BenchResult } from "./lib/bench";
import { launchChromium, signedInContext } from "./lib/chromium";
import { startEmbeddedStack, type EmbeddedStack } from "./lib/embedded-stack";
import { fmt, markdownTable, median, percentile, verdict } from "./lib/stats";
import { callAction, findAction, signIn } from "./lib/studio-client";
import { waitFor } from "./lib/wait";

const SINGLES = Number(process.env.BENCH_PIXELS_SINGLES ?? 20);
const BATCHES = Number(process.env.BENCH_PIXELS_BATCHES ?? 5);
const BATCH = 4;
/** Jobs finished through the action before measuring, so the timed polls have their history. */
const HISTORY = 12;
const TARGET_P50_MS = 1_000;
/** After the last image of a submit loads, requests still counted for it (the balance, a last poll). */
const SETTLE_MS = 1_500;
const JOB_TIMEOUT_MS = 60_000;

interface PathSpec {
  key: string;
  label: string;
  ratio: "1:1" | "16:9";
}

const PATHS: PathSpec[] = [
  { key: "webhook", label: "webhooks (1:1: Apiframe, called back)", ratio: "1:1" },
  { key: "polling", label: "polling only (16:9: reve2img, no webhooks)", ratio: "16:9" },
];

interface Seen {
  /** Generation id → when the page got an answer saying it succeeded. */
  answered: Map<string, number>;
  requests: { at: number; path: string; action: boolean }[];
}

interface Submit {
  ids: string[];
  clickedAt: number;
  settledAt: number;
}

interface PathRun {
  spec: PathSpec;
  singles: Submit[];
  batches: Submit[];
  loads: Map<string, number>;
  seen: Seen;
}

// Runs in the page before the studio's scripts: the first `load` of each job's image, by job id.
const RECORD_LOADS = () => {
  const w = window as unknown as { __loads: Record<string, number> };
  w.__loads = {};
  document.addEventListener(
    "load",
    (event) => {
      const img = event.target;
      if (!(img instanceof HTMLImageElement) || !img.src.includes("/api/media/")) return;
      const id = img.closest("[data-generation-id]")?.getAttribute("data-generation-id");
      if (id && w.__loads[id] === undefined) w.__loads[id] = Date.now();
    },
    true,
  );
};

function watchPage(page: Page): Seen {
  const seen: Seen = { answered: new Map(), requests: [] };
  page.on("request", (request) => {
    const url = new URL(request.url());
    const action = request.method() === "POST" && request.headers()["next-action"] !== undefined;
    if (url.pathname.startsWith("/api/") || action) {
      seen.requests.push({ at: Date.now(), path: url.pathname, action });
    }
  });
  page.on("response", async (response) => {
    const at = Date.now();
    const path = new URL(response.url()).pathname;
    if (!/^\/api\/generations\/(active|[^/]+)$/.test(path) || !response.ok()) return;
    const body = (await response.json().catch(() => null)) as {
      jobs?: { id: string; status: string }[];
      id?: string;
      status?: string;
    } | null;
    const jobs = body?.jobs ?? (body?.id && body.status ? [{ id: body.id, status: body.status }] : []);
    for (const job of jobs) {
      if (job.status === "succeeded" && !seen.answered.has(job.id)) seen.answered.set(job.id, at);
    }
  });
  return seen;
}

async function loadsOf(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => (window as unknown as { __loads: Record<string, number> }).__loads);
}

/** Submits one create through the form and waits for every image of it to load. */
async function submitThroughForm(page: Page, prompt: string, ratio: string, count: number): Promise<Submit> {
  await page.locator(`[data-testid=aspect-ratios] input[value="${ratio}"]`).check();
  await page.getByRole("radio", { name: count === 1 ? "1 image" : `${count} images` }).check();
  await page.getByLabel("Prompt", { exact: true }).fill(prompt);
  const button = page.getByRole("button", { name: count === 1 ? "Create image" : `Create ${count} images` });
  await button.waitFor();
  const clickedAt = Date.now();
  await button.click();
  const holder =
    count === 1
      ? page.getByTestId("job-card").filter({ hasText: prompt })
      : page.getByTestId("batch-card").filter({ hasText: prompt }).getByTestId("job-card");
  const ids = await waitFor(
    `the ${count} card(s) of "${prompt}"`,
    async () => {
      const found = await holder.evaluateAll((cards) =>
        cards.map((card) => card.getAttribute("data-generation-id")),
      );
      return found.length === count && found.every(Boolean) ? (found as string[]) : undefined;
    },
    JOB_TIMEOUT_MS,
    50,
  );
  await waitFor(
    `the image(s) of "${prompt}" to load`,
    async () => {
      const loads = await loadsOf(page);
      return ids.every((id) => loads[id] !== undefined) ? true : undefined;
    },
    JOB_TIMEOUT_MS,
    50,
  );
  await page.waitForTimeout(SETTLE_MS);
  return { ids, clickedAt, settledAt: Date.now() };
}

/** Jobs sent through the action (not measured): the reseller's completion history for timed polls. */
async function makeHistory(stack: EmbeddedStack, cookie: string, ratio: string, count: number) {
  const create = findAction("server/actions/create-image.ts", "createImage");
  await forEachLimit(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const input = { prompt: `history ${ratio} ${i}`, aspectRatio: ratio, provider: "auto" };
      const { outcome } = await callAction<{ generationId: string }>(
        stack.studio.url,
        create,
        [input],
        cookie,
      );
      if (!outcome.ok) throw new Error(`History submit failed: ${outcome.error.message}`);
      const id = outcome.data.generationId;
      await waitFor(
        `history job ${id}`,
        async () => {
          const response = await fetch(`${stack.studio.url}/api/generations/${id}?wait=25`, {
            headers: { cookie },
          });
          const job = (await response.json()) as { status: string };
          return job.status === "succeeded" || job.status === "failed" ? true : undefined;
        },
        JOB_TIMEOUT_MS,
        0,
      );
    },
  );
}

async function runPath(stack: EmbeddedStack, email: string, spec: PathSpec): Promise<PathRun> {
  const cookie = await signIn(stack.studio.url, email);
  if (spec.key === "polling") await makeHistory(stack, cookie, spec.ratio, HISTORY);
  const browser = await launchChromium();
  try {
    // Tall enough that the newest cards sit in the window: their images load eagerly either way.
    const context = await signedInContext(browser, stack.studio.url, email, { width: 1280, height: 1400 });
    const page = await context.newPage();
    await page.addInitScript(RECORD_LOADS);
    const seen = watchPage(page);
    await page.goto(`${stack.studio.url}/create`);
    await page.getByLabel("Prompt", { exact: true }).waitFor();
    const singles: Submit[] = [];
    for (let i = 0; i < SINGLES; i++) {
      singles.push(await submitThroughForm(page, `pixels ${spec.key} single #${i}.`, spec.ratio, 1));
    }
    const batches: Submit[] = [];
    for (let i = 0; i < BATCHES; i++) {
      batches.push(await submitThroughForm(page, `pixels ${spec.key} batch #${i}.`, spec.ratio, BATCH));
    }
    const loads = new Map(Object.entries(await loadsOf(page)));
    await context.close();
    return { spec, singles, batches, loads, seen };
  } finally {
    await browser.close();
  }
}

interface JobFigures {
  batch: boolean;
  total: number;
  hear: number;
  store: number;
  /** Part of `store`: the emulator's answer to the result file's GET (it draws the image then). */
  download: number;
  answer: number;
  paint: number;
}

interface StudioRow {
  id: string;
  providerJobId: string | null;
  provider: string | null;
  completedAt: Date | null;
}

function figuresOf(
  run: PathRun,
  rows: Map<string, StudioRow>,
  emuJobs: Map<string, JobLogEntry>,
  polls: LoggedRequest[],
  files: LoggedRequest[],
  webhooks: WebhookDelivery[],
): { jobs: JobFigures[]; providers: Set<string> } {
  const jobs: JobFigures[] = [];
  const providers = new Set<string>();
  const measured = [
    ...run.singles.flatMap((s) => s.ids.map((id) => ({ id, batch: false }))),
    ...run.batches.flatMap((s) => s.ids.map((id) => ({ id, batch: true }))),
  ];
  for (const { id, batch } of measured) {
    const row = rows.get(id);
    const emu = row?.providerJobId ? emuJobs.get(row.providerJobId) : undefined;
    const loadedAt = run.loads.get(id);
    if (!row?.completedAt || !emu?.completedAt || loadedAt === undefined) {
      throw new Error(`Job ${id}: no completion, studio completion or load to measure from.`);
    }
    providers.add(row.provider ?? "?");
    const done = emu.completedAt;
    const stored = row.completedAt.getTime();
    // The studio hears of the end from the webhook (answered) or the first status call after it.
    const pushed = webhooks.find((w) => w.jobId === emu.id && w.phase === "succeeded")?.at;
    const polled = polls.find(
      (r) => (r.path.includes(emu.id) || r.query.task_id === emu.id) && r.startedAt >= done,
    )?.startedAt;
    const heard = Math.min(pushed ?? stored, polled ?? stored);
    const answered = run.seen.answered.get(id) ?? loadedAt;
    const file = files.find((r) => emu.fileIds.some((f) => r.path === `/${f}.png`));
    jobs.push({
      batch,
      total: loadedAt - done,
      hear: heard - done,
      store: stored - heard,
      download: file ? file.endedAt - file.startedAt : Number.NaN,
      answer: answered - stored,
      paint: loadedAt - answered,
    });
  }
  return { jobs, providers };
}

interface RequestFigures {
  perJob: number;
  longPolls: number;
  status: number;
  media: number;
  other: number;
  actions: number;
}

function requestsPerJob(seen: Seen, submits: Submit[]): RequestFigures {
  const sum: RequestFigures = { perJob: 0, longPolls: 0, status: 0, media: 0, other: 0, actions: 0 };
  let jobs = 0;
  for (const submit of submits) {
    jobs += submit.ids.length;
    for (const r of seen.requests) {
      if (r.at < submit.clickedAt || r.at > submit.settledAt) continue;
      if (r.action) sum.actions++;
      else {
        sum.perJob++;
        if (r.path === "/api/generations/active") sum.longPolls++;
        else if (r.path.startsWith("/api/generations/")) sum.status++;
        else if (r.path.startsWith("/api/media/")) sum.media++;
        else sum.other++;
      }
    }
  }
  const per = (n: number) => n / Math.max(1, jobs);
  return {
    perJob: per(sum.perJob),
    longPolls: per(sum.longPolls),
    status: per(sum.status),
    media: per(sum.media),
    other: per(sum.other),
    actions: per(sum.actions),
  };
}

async function run(): Promise<BenchResult> {
  const loadBefore = loadavg()[0]!;
  const stack = await startEmbeddedStack("pixels", {
    users: { count: PATHS.length, credits: 10_000 },
    // A bench submits far faster than a person: only the per-user submit limits are lifted.
    env: { RATE_LIMIT_SUBMITS_PER_MINUTE: "10000", MAX_JOBS_IN_FLIGHT: "1000" },
  });
  try {
    const runs: PathRun[] = [];
    const only = process.env.BENCH_PIXELS_PATHS?.split(",");
    for (const [index, spec] of PATHS.entries()) {
      if (only && !only.includes(spec.key)) continue;
      console.info(`time-to-pixels: ${spec.label}`);
      runs.push(await runPath(stack, stack.users[index]!.email, spec));
    }
    const loadAfter = loadavg()[0]!;
    const [emuJobs, requests, webhooks] = await Promise.all([
      stack.emulator.jobs(),
      stack.emulator.requests(),
      stack.emulator.webhooks(),
    ]);
    const polls = requests.filter((r) => r.method === "GET" && r.provider !== "files");
    const files = requests.filter((r) => r.method === "GET" && r.provider === "files");
    const ids = runs.flatMap((r) => [...r.singles, ...r.batches].flatMap((s) => s.ids));
    const rows = await stack.stopAndRead((db: PrismaClient) =>
      db.generation.findMany({
        where: { id: { in: ids } },
        select: { id: true, providerJobId: true, provider: true, completedAt: true },
      }),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const byEmuId = new Map(emuJobs.map((j) => [j.id, j]));

    const pixelRows: (string | number)[][] = [];
    const requestRows: (string | number)[][] = [];
    const summaries: string[] = [];
    let met = true;
    for (const r of runs) {
      const { jobs, providers } = figuresOf(r, byId, byEmuId, polls, files, webhooks);
      const totals = jobs.map((j) => j.total);
      const p50 = median(totals);
      met &&= p50 <= TARGET_P50_MS;
      if (process.env.BENCH_PIXELS_DEBUG) for (const job of jobs) console.info(JSON.stringify(job));
      for (const [what, subset] of [
        ["all", jobs],
        ["1 at a time", jobs.filter((j) => !j.batch)],
        [`batches of ${BATCH}`, jobs.filter((j) => j.batch)],
      ] as const) {
        const times = subset.map((j) => j.total);
        const ms = (key: Exclude<keyof JobFigures, "batch">) =>
          fmt(median(subset.map((j) => j[key]).filter(Number.isFinite)), 0);
        pixelRows.push([
          r.spec.label,
          [...providers].join(", "),
          what,
          subset.length,
          fmt(median(times) / 1000, 2),
          fmt(percentile(times, 95) / 1000, 2),
          fmt(Math.max(...times) / 1000, 2),
          ms("hear"),
          ms("store"),
          ms("download"),
          ms("answer"),
          ms("paint"),
        ]);
      }
      for (const [what, submits] of [
        ["1 job on screen", r.singles],
        [`batches of ${BATCH}`, r.batches],
      ] as const) {
        const f = requestsPerJob(r.seen, submits);
        requestRows.push([
          r.spec.label,
          what,
          fmt(f.perJob, 2),
          fmt(f.longPolls, 2),
          fmt(f.status, 2),
          fmt(f.media, 2),
          fmt(f.other, 2),
          fmt(f.actions, 2),
        ]);
      }
      summaries.push(
        `${r.spec.key} p50 ${fmt(p50 / 1000, 2)} s, p95 ${fmt(percentile(totals, 95) / 1000, 2)} s`,
      );
    }
    const perJob = (label: string) => requestRows.filter((row) => row[1] === label).map((row) => row[2]);
    return {
      title: "Time to pixels and client requests per job",
      method:
        "The embedded default (PGlite in the server's process, a data folder of its own, local media, the " +
        "emulator; no DATABASE_URL, only the submit limits lifted), `next start` of the production build. " +
        `Chromium (1280×1400) signed in on /create submits through the form ${SINGLES} single jobs, then ` +
        `${BATCHES} batches of ${BATCH}, per path. Time to pixels = the emulator's completion time of the job ` +
        "(its job log) to the first `load` event of the job's <img> in the page (a capturing load listener). " +
        "Breakdown, medians in ms: hear = completion → the studio answered the webhook (or made its first " +
        "status call after it); store = → the job's completedAt in the database (our copy and thumbnail stored; of which download = the emulator's answer to the result file's GET, in which it draws the image); answer = → the " +
        "page receives an answer saying succeeded; paint = → img load. Requests = the page's requests to " +
        `/api/* from the click to ${SETTLE_MS / 1000} s after the last image loaded, per job; server action ` +
        `posts counted apart. The reve2img path first gets ${HISTORY} jobs of history through the action. ` +
        `Load average (1 min) ${fmt(loadBefore, 2)} at the start, ${fmt(loadAfter, 2)} at the end.`,
      table: [
        markdownTable(
          [
            "path",
            "provider",
            "submitted",
            "jobs",
            "p50 s",
            "p95 s",
            "max s",
            "hear ms",
            "store ms",
            "of which download ms",
            "answer ms",
            "paint ms",
          ],
          pixelRows,
        ),
        "",
        markdownTable(
          [
            "path",
            "on screen",
            "/api requests per job",
            "long polls",
            "status",
            "media",
            "other",
            "action posts",
          ],
          requestRows,
        ),
      ].join("\n"),
      summary:
        `Time to pixels: ${summaries.join("; ")} (target p50 ≤ ${TARGET_P50_MS / 1000} s on both: ${verdict(met)}); ` +
        `/api requests per job per tab: ${perJob("1 job on screen").join(" / ")} with one job on screen, ` +
        `${perJob(`batches of ${BATCH}`).join(" / ")} in batches of ${BATCH} (webhook / polling path).`,
      targetsMet: met,
    };
  } finally {
    await stack.close();
  }
}

export const timeToPixels: Bench = { name: "time-to-pixels", run };
