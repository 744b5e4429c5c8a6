import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { installAppDb, makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { installLifecycle, seedRunningGeneration } from "../security/support/studio";
import { tripwireFetch } from "../security/support/tripwire";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

const TOKEN = "metrics-token-0123456789abcdef";

describe.each(DB_KINDS)("GET /api/metrics on %s", (kind) => {
  let t: TestDb;
  const tripwire = tripwireFetch();

  beforeAll(async () => {
    t = await installAppDb(kind);
    installLifecycle(t.db, { registry: { fetch: tripwire.fetch } });
  });
  afterAll(async () => {
    const { env } = await import("@/server/env");
    env.METRICS_TOKEN = undefined;
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  async function scrape(authorization?: string) {
    const { GET } = await import("@/app/api/metrics/route");
    const headers = authorization ? { authorization } : undefined;
    return GET(new Request("http://localhost/api/metrics", { headers }), { params: Promise.resolve({}) });
  }

  async function families() {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    return Object.assign(parsePrometheusTextFormat(text), { text });
  }

  const value = (
    all: ReturnType<typeof parsePrometheusTextFormat>,
    name: string,
    labels: Record<string, string> = {},
  ) => {
    const family = all.find((f) => f.name === name);
    const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return sample ? Number(sample.value) : undefined;
  };

  /**
   * A histogram's `_count` for one label set. The parser above drops the labels of histogram
   * samples, so these lines are read strictly here: `name_count{k="v",…} number`.
   */
  const histogramCount = (scrape: { text: string }, name: string, labels: Record<string, string>) => {
    const line = new RegExp(`^${name}_count\\{([^}]*)\\} (\\d+(?:\\.\\d+)?)$`);
    for (const row of scrape.text.split("\n")) {
      const match = line.exec(row);
      if (!match) continue;
      const found = Object.fromEntries(
        [...match[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[2]);
    }
    return 0;
  };

  it("does not exist while METRICS_TOKEN is unset, and wants the exact token once it is", async () => {
    const { env } = await import("@/server/env");
    env.METRICS_TOKEN = undefined;
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);

    env.METRICS_TOKEN = TOKEN;
    for (const header of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, "Bearer "]) {
      const response = await scrape(header);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("reve_");
    }
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(200);
  });

  it("exports the job, failover, refund and webhook counters, the database gauges and process metrics", async () => {
    const { env } = await import("@/server/env");
    env.METRICS_TOKEN = TOKEN;
    const before = await families();

    // A submit no reseller takes: held, failed over through every candidate, failed and refunded.
    const user = await makeUser(t.db, 10);
    signInAs(user);
    const { createImage } = await import("@/server/actions/create-image");
    const submitted = await createImage({ prompt: "a lighthouse", provider: "auto" });
    signOutAll();
    expect(submitted.ok).toBe(true);
    const job = await t.db.generation.findFirstOrThrow({ where: { userId: user.id } });
    expect(job.status).toBe("failed");
    const tried = job.attemptedProviders as string[];
    expect(tried.length).toBeGreaterThan(1);

    // A running job whose poll is 30 s overdue, and a webhook with a wrong token.
    const other = await makeUser(t.db, 0);
    const running = await seedRunningGeneration(t.db, other.id, { prompt: "still going" });
    await t.db.generation.update({
      where: { id: running.generation.id },
      data: { nextPollAt: new Date(Date.now() - 30_000) },
    });
    const webhook = await import("@/app/api/webhooks/[provider]/[generationId]/route");
    const refused = await webhook.POST(
      new Request(`http://localhost/api/webhooks/apiframe/${running.generation.id}?token=wrong`, {
        method: "POST",
        body: "{}",
      }),
      { params: Promise.resolve({ provider: "apiframe", generationId: running.generation.id }) },
    );
    expect(refused.status).toBe(401);

    const after = await families();
    const delta = (name: string, labels: Record<string, string>) =>
      (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);
    const first = tried[0]!;
    const last = tried[tried.length - 1]!;
    expect(delta("reve_jobs_submitted_total", { reseller: first, operation: "create" })).toBe(1);
    expect(delta("reve_failovers_total", { from: first, to: tried[1]!, operation: "create" })).toBe(1);
    expect(
      delta("reve_jobs_failed_total", { reseller: last, operation: "create", error_code: job.errorCode! }),
    ).toBe(1);
    expect(delta("reve_refunds_total", { reason: job.errorCode! })).toBe(1);
    expect(delta("reve_webhook_deliveries_total", { reseller: "apiframe", outcome: "refused" })).toBe(1);
    expect(value(after, "reve_jobs_in_flight", { state: "processing" })).toBe(1);
    expect(value(after, "reve_poller_lag_seconds")).toBeGreaterThanOrEqual(30);
    expect(after.find((f) => f.name === "reve_jobs_in_flight")?.type).toBe("GAUGE");
    expect(after.find((f) => f.name === "reve_jobs_submitted_total")?.type).toBe("COUNTER");
    expect(value(after, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).credits).toBe(10);
    // Every reseller tried was called once to submit, and the connection failed each time.
    for (const reseller of tried) {
      const labels = { reseller, phase: "submit", outcome: "network" };
      const name = "reve_reseller_call_duration_seconds";
      expect(histogramCount(after, name, labels) - histogramCount(before, name, labels)).toBe(1);
    }
  });

  it("counts waits for an outbound slot and the requests given up for want of one", async () => {
    const { env } = await import("@/server/env");
    env.METRICS_TOKEN = TOKEN;
    const { createOutboundLimiter } = await import("@/server/providers/outbound-limit");
    const before = await families();
    const limiter = createOutboundLimiter({ perMinute: { reveart: 1 }, maxWaitMs: 0, store: "memory" });
    await limiter.acquire("reveart");
    await expect(limiter.acquire("reveart")).rejects.toMatchObject({ code: "rate_limited" });
    const after = await families();
    const labels = { reseller: "reveart" };
    expect(
      histogramCount(after, "reve_rate_limit_wait_seconds", labels) -
        histogramCount(before, "reve_rate_limit_wait_seconds", labels),
    ).toBe(1);
    expect(
      (value(after, "reve_rate_limit_refusals_total", labels) ?? 0) -
        (value(before, "reve_rate_limit_refusals_total", labels) ?? 0),
    ).toBe(1);
  });
});
