import pg from "pg";

import type { Bench } from "./lib/bench";
import { createScratchDatabase } from "./lib/postgres";
import { fmt, markdownTable, median, percentile, verdict } from "./lib/stats";

// The admin overview at 1,000,000 generations against 10,000, on PostgreSQL. Both studios have the
// same recent traffic (1,000 jobs a day, each with its hold and, for a failed one, its refund, and
// 20 sign-ups a day); the large one has simply run for longer (1,000 days against 10). The figures
// for a window must cost what the window spans, not what the table holds: the open days are read
// through the indexes on "createdAt", the closed ones from their stored figures (OverviewDay), which
// the first view of a window computes (its time is shown apart). Seeded straight in SQL with
// generate_series.

const PER_DAY = 1_000;
const SIZES = [10_000, 1_000_000];
const WINDOWS = ["24h", "7d", "30d"] as const;
const RUNS = 15;
const TARGET_RATIO = 1.5;

export async function seedOverview(url: string, generations: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const days = generations / PER_DAY;
  const users = days * 20;
  try {
    // Spread evenly over `days`, newest first: job i is i × (86,400 / PER_DAY) s old.
    await client.query(
      `INSERT INTO "User" ("id", "email", "credits", "createdAt", "updatedAt")
       SELECT 'u' || i, 'u' || i || '@bench.test', 100, now() - make_interval(secs => i * 4320), now()
       FROM generate_series(1, $1::int) AS i`,
      [users],
    );
    await client.query(
      `INSERT INTO "Generation" ("id", "userId", "kind", "status", "prompt", "requestedProvider", "provider",
         "attemptedProviders", "cost", "createdAt", "updatedAt", "submittedAt", "completedAt", "deadlineAt")
       SELECT 'g' || i, 'u' || (1 + i % $2::int), 'create',
         (CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'succeeded' END)::"GenerationStatus",
         'a seeded prompt', 'auto', (ARRAY['pixazo','apiframe','reve2img','reveart'])[1 + i % 4],
         CASE WHEN i % 25 = 0 THEN ARRAY['apiframe','reve2img'] ELSE ARRAY[(ARRAY['pixazo','apiframe','reve2img','reveart'])[1 + i % 4]] END,
         1, now() - make_interval(secs => i * 86.4), now(), now() - make_interval(secs => i * 86.4),
         now() - make_interval(secs => i * 86.4) + make_interval(secs => 5 + i % 40), now()
       FROM generate_series(1, $1::int) AS i`,
      [generations, users],
    );
    await client.query(
      `INSERT INTO "CreditLedgerEntry" ("id", "userId", "amount", "balanceAfter", "reason", "generationId",
         "idempotencyKey", "createdAt")
       SELECT 'h' || i, 'u' || (1 + i % $2::int), -1, 99, 'hold'::"LedgerReason", 'g' || i, 'hold:g' || i,
         now() - make_interval(secs => i * 86.4)
       FROM generate_series(1, $1::int) AS i
       UNION ALL
       SELECT 'r' || i, 'u' || (1 + i % $2::int), 1, 100, 'refund'::"LedgerReason", 'g' || i, 'refund:g' || i,
         now() - make_interval(secs => i * 86.4 - 30)
       FROM generate_series(10, $1::int, 10) AS i`,
      [generations, users],
    );
    await client.query(`ANALYZE "User"; ANALYZE "Generation"; ANALYZE "CreditLedgerEntry";`);
  } finally {
    await client.end();
  }
}

export const adminOverview: Bench = {
  name: "admin-overview",
  async run() {
    process.env.AUTH_SECRET ??= "bench-auth-secret-0123456789abcdef0123456789";
    process.env.MEDIA_SIGNING_SECRET ??= "bench-media-secret-0123456789abcdef012345678";
    const { setDb } = await import("@/server/db/client");
    const { getOverview } = await import("@/server/admin/overview");
    const timings: Record<string, number[]> = {};
    const firstViews: Record<string, number> = {};
    const studios: { size: number; scratch: Awaited<ReturnType<typeof createScratchDatabase>> }[] = [];
    const time = async (studio: (typeof studios)[number], window: (typeof WINDOWS)[number]) => {
      setDb(studio.scratch.db);
      const start = performance.now();
      await getOverview(window);
      return performance.now() - start;
    };
    try {
      for (const size of SIZES) {
        const scratch = await createScratchDatabase("bench_overview");
        studios.push({ size, scratch });
        const t0 = Date.now();
        await seedOverview(scratch.url, size);
        console.info(
          `seeded ${size.toLocaleString("en")} generations in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
        );
      }
      for (const window of WINDOWS) {
        // The first view stores the window's closed days that an earlier window did not; then two
        // warm-ups each. The timed runs alternate the studios, in turn first, so neither is timed
        // with colder code or in a busier minute than the other.
        for (const studio of studios) {
          firstViews[`${window}:${studio.size}`] = await time(studio, window);
          for (let i = 0; i < 2; i++) await time(studio, window);
          timings[`${window}:${studio.size}`] = [];
        }
        for (let i = 0; i < RUNS; i++) {
          for (const studio of i % 2 === 0 ? studios : [...studios].reverse()) {
            timings[`${window}:${studio.size}`]!.push(await time(studio, window));
          }
        }
      }
    } finally {
      setDb(undefined);
      for (const { scratch } of studios) await scratch.close();
    }
    const rows = WINDOWS.flatMap((window) => {
      const small = timings[`${window}:${SIZES[0]}`]!;
      const large = timings[`${window}:${SIZES[1]}`]!;
      const ratio = median(large) / median(small);
      return [
        [
          `${window}, 10,000 generations`,
          fmt(median(small)),
          fmt(percentile(small, 90)),
          "",
          fmt(firstViews[`${window}:${SIZES[0]}`]!),
        ],
        [
          `${window}, 1,000,000 generations`,
          fmt(median(large)),
          fmt(percentile(large, 90)),
          `${fmt(ratio, 2)}×`,
          fmt(firstViews[`${window}:${SIZES[1]}`]!),
        ],
      ];
    });
    const ratios = WINDOWS.map(
      (w) => median(timings[`${w}:${SIZES[1]}`]!) / median(timings[`${w}:${SIZES[0]}`]!),
    );
    const met = ratios.every((r) => r <= TARGET_RATIO);
    return {
      title: "Admin overview at 1,000,000 generations vs 10,000",
      method:
        `getOverview (every figure of /admin: jobs by state and reseller, p50/p95 time to result, spend, ` +
        `credits, sign-ups) timed in-process on a fresh PostgreSQL database, ${RUNS} runs after 3 warm-ups, ` +
        `for each window, the two studios' runs alternating (each in turn first). Both studios take ${PER_DAY.toLocaleString("en")} jobs a day; the large one has run ` +
        `100 times longer. The first of the warm-ups stores the closed days the window adds (through ` +
        `getOverview itself, 24h then 7d then 30d); "first view" is its time. ` +
        `Target: median ratio ≤ ${TARGET_RATIO}× in every window.`,
      table: markdownTable(["overview", "median ms", "p90 ms", "ratio", "first view ms"], rows),
      summary:
        `admin overview at 1,000,000 generations vs 10,000: ${ratios.map((r, i) => `${WINDOWS[i]} ${fmt(r, 2)}×`).join(", ")} ` +
        `(target ≤ ${TARGET_RATIO}×: ${verdict(met)})`,
      targetsMet: met,
    };
  },
};
