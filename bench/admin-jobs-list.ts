// The admin job list (/admin/jobs and `npm run admin -- jobs list`) at 10,000 and at 200,000 jobs:
// each filter's query time, median of repeated runs, and the ratio of the two. An indexed keyset
// query costs about the same at both sizes; a scan would grow twentyfold.
import type { Bench } from "./lib/bench";
import { createScratchDatabase } from "./lib/postgres";
import { BENCH_AUTH_SECRET } from "./lib/stack";
import { fmt, markdownTable, median, verdict } from "./lib/stats";

const SMALL = 10_000;
const LARGE = 200_000;
const RUNS = 15;
const TARGET = 1.5;

export const adminJobsList: Bench = {
  name: "admin-jobs-list",
  async run() {
    // The query runs in this process, whose env the server modules parse on import.
    process.env.AUTH_SECRET ??= BENCH_AUTH_SECRET;
    process.env.MEDIA_SIGNING_SECRET ??= BENCH_AUTH_SECRET;
    const { setDb } = await import("@/server/db/client");
    const scratch = await createScratchDatabase("bench_admin_jobs");
    try {
      setDb(scratch.db);
      const { jobFilterSchema, listJobs } = await import("@/server/admin/jobs");
      const db = scratch.db;
      await db.$executeRaw`
        INSERT INTO "User" ("id", "email", "credits", "updatedAt")
        SELECT 'u' || i, 'user' || i || '@example.test', 0, now() FROM generate_series(1, 500) AS i`;
      const seed = (from: number, to: number) => db.$executeRaw`
        INSERT INTO "Generation" ("id", "userId", "kind", "status", "prompt", "cost", "provider", "errorCode",
          "createdAt", "updatedAt", "deadlineAt")
        SELECT 'g' || i, 'u' || (1 + i % 500), 'create',
          (CASE WHEN i % 20 = 0 THEN 'failed' WHEN i % 97 = 0 THEN 'processing' ELSE 'succeeded' END)::"GenerationStatus",
          'p', 1, (ARRAY['pixazo', 'apiframe', 'reve2img', 'reveart'])[1 + i % 4],
          CASE WHEN i % 20 = 0 THEN (ARRAY['provider_error', 'content_policy', 'deadline'])[1 + (i / 20) % 3] END,
          now() - make_interval(secs => i * 10), now(), now()
        FROM generate_series(${from}::int, ${to}::int) AS i`;
      const filters: [string, Record<string, string>][] = [
        ["newest 50", {}],
        ["state = processing", { state: "processing" }],
        ["reseller = pixazo", { reseller: "pixazo" }],
        ["error = content_policy", { error: "content_policy" }],
        ["one user (email)", { user: "user7@example.test" }],
        ["failed, last 24 h", { state: "failed", since: new Date(Date.now() - 86_400_000).toISOString() }],
      ];
      const measure = async () => {
        await db.$executeRawUnsafe(`ANALYZE "Generation"`);
        const out = new Map<string, number>();
        for (const [label, raw] of filters) {
          const filter = jobFilterSchema.parse(raw);
          // The fifth page: four cursors in, as an operator paging back would be.
          let page = await listJobs(filter);
          for (let i = 0; i < 4 && page.nextCursor; i++)
            page = await listJobs({ ...filter, cursor: page.nextCursor });
          const paged = { ...filter, cursor: page.nextCursor ?? undefined };
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            const t0 = performance.now();
            await listJobs(paged);
            times.push(performance.now() - t0);
          }
          out.set(label, median(times));
        }
        return out;
      };
      await seed(1, SMALL);
      await measure(); // warm-up: connections, plans and JIT, so the first size is not charged for them
      const small = await measure();
      await seed(SMALL + 1, LARGE);
      const large = await measure();
      const rows = filters.map(([label]) => {
        const a = small.get(label)!;
        const b = large.get(label)!;
        return [label, fmt(a, 2), fmt(b, 2), `${fmt(b / a, 2)}×`];
      });
      const worst = Math.max(...filters.map(([label]) => large.get(label)! / small.get(label)!));
      const met = worst <= TARGET;
      return {
        title: "Admin job list",
        method: `\`listJobs\` (the page's and the CLI's query) on a fresh PostgreSQL database with ${SMALL.toLocaleString("en")} and then ${LARGE.toLocaleString("en")} jobs over 500 users; the fifth page (four cursors in) of each filter, median of ${RUNS} runs, in ms, database round trips included.`,
        table: markdownTable(
          [
            "filter",
            `${SMALL.toLocaleString("en")} jobs ms`,
            `${LARGE.toLocaleString("en")} jobs ms`,
            "ratio",
          ],
          rows,
        ),
        summary: `Admin job list at ${LARGE.toLocaleString("en")} vs ${SMALL.toLocaleString("en")} jobs: worst filter ${fmt(worst, 2)}× (target ≤ ${TARGET}×: ${verdict(met)}).`,
        targetsMet: met,
      };
    } finally {
      await scratch.close();
    }
  },
};
