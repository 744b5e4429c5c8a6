// Gallery scaling: time to first byte of the gallery for a user with 10,000 generations (seeded in
// SQL) against an empty gallery and a one-page gallery, for the JSON route (first page and page 50,
// following cursors) and the /gallery page.
import type { Bench, BenchResult } from "./lib/bench";
import { seedGallery } from "./lib/seed-gallery";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, median, percentile, verdict } from "./lib/stats";
import { createUsers, signIn, timedRequest, type BenchUser } from "./lib/studio-client";

const LARGE = 10_000;
const ONE_PAGE = 24;
const PAGE = 50;
// Near the end of 10,000 items: a cursor that does not seek shows here first.
const DEEP_PAGE = 400;
const SAMPLES = 40;
const WARMUP = 5;
const TARGET_RATIO = 1.2;

interface Target {
  label: string;
  url: string;
  cookie: string;
  ttfb: number[];
}

async function run(): Promise<BenchResult> {
  const seededUsers: BenchUser[] = [];
  const stack = await startBenchStack("gallery", {
    env: { WEBHOOKS_ENABLED: "false", POLLER_ENABLED: "false" },
    async beforeStart(db) {
      const [large, onePage] = await createUsers(db.db, 2, 10, "gallery");
      await seedGallery(db.url, large!.id, LARGE, "large");
      await seedGallery(db.url, onePage!.id, ONE_PAGE, "page");
      seededUsers.push(large!, onePage!);
    },
  });
  try {
    const { studio, db } = stack;
    const [empty] = await createUsers(db.db, 1, 10, "empty");
    const [largeCookie, pageCookie, emptyCookie] = await Promise.all(
      [...seededUsers, empty!].map((user) => signIn(studio.url, user.email)),
    );
    const api = `${studio.url}/api/generations`;

    // Deep pages are reached the way the gallery's infinite scroll reaches them: cursor after cursor.
    const cursors = new Map<number, string>();
    let cursor: string | null = null;
    for (let page = 1; page < DEEP_PAGE; page++) {
      const answer = await timedRequest(cursor ? `${api}?cursor=${cursor}` : api, {
        headers: { cookie: largeCookie! },
      });
      cursor = (JSON.parse(answer.body) as { nextCursor: string | null }).nextCursor;
      if (!cursor) throw new Error(`The gallery ended at page ${page}.`);
      cursors.set(page + 1, cursor);
    }
    const targets: Target[] = [
      {
        label: `API page 1, ${LARGE.toLocaleString("en")} generations`,
        url: api,
        cookie: largeCookie!,
        ttfb: [],
      },
      {
        label: `API page ${PAGE}, ${LARGE.toLocaleString("en")} generations`,
        url: `${api}?cursor=${cursors.get(PAGE)}`,
        cookie: largeCookie!,
        ttfb: [],
      },
      { label: `API page 1, ${ONE_PAGE} generations`, url: api, cookie: pageCookie!, ttfb: [] },
      {
        label: `API page ${DEEP_PAGE}, ${LARGE.toLocaleString("en")} generations`,
        url: `${api}?cursor=${cursors.get(DEEP_PAGE)}`,
        cookie: largeCookie!,
        ttfb: [],
      },
      { label: "API page 1, empty gallery", url: api, cookie: emptyCookie!, ttfb: [] },
      {
        label: `/gallery, ${LARGE.toLocaleString("en")} generations`,
        url: `${studio.url}/gallery`,
        cookie: largeCookie!,
        ttfb: [],
      },
      { label: "/gallery, empty gallery", url: `${studio.url}/gallery`, cookie: emptyCookie!, ttfb: [] },
    ];
    for (let round = 0; round < WARMUP + SAMPLES; round++) {
      for (const target of targets) {
        const answer = await timedRequest(target.url, { headers: { cookie: target.cookie } });
        if (answer.status !== 200) throw new Error(`${target.label} answered ${answer.status}.`);
        if (round >= WARMUP) target.ttfb.push(answer.tHeaders - answer.t0);
      }
    }
    const m = targets.map((t) => median(t.ttfb));
    const by = (label: string) => m[targets.findIndex((t) => t.label === label)]!;
    const large = LARGE.toLocaleString("en");
    const page1 = by(`API page 1, ${large} generations`);
    const page50 = by(`API page ${PAGE}, ${large} generations`);
    const deep = by(`API page ${DEEP_PAGE}, ${large} generations`);
    const onePage = by(`API page 1, ${ONE_PAGE} generations`);
    const emptyApi = by("API page 1, empty gallery");
    const htmlEmpty = by("/gallery, empty gallery");
    const ratios = {
      page1: page1 / emptyApi,
      page50: page50 / emptyApi,
      html: by(`/gallery, ${large} generations`) / htmlEmpty,
    };
    const met = Math.max(ratios.page1, ratios.page50, ratios.html) <= TARGET_RATIO;
    return {
      title: "Gallery scaling",
      method:
        `${large} succeeded generations with one output each, inserted with SQL and ANALYZEd; ` +
        `TTFB = request written to response headers received, ${SAMPLES} samples per row after ${WARMUP} ` +
        "warm-ups, rows interleaved. Deep pages are reached by following `nextCursor` (24 items a page). " +
        "Ratios divide by the empty gallery of the same kind (JSON route or page).",
      table: markdownTable(
        ["request", "TTFB median ms", "p90 ms", "ratio"],
        targets.map((t, i) => {
          const base = t.label.startsWith("/gallery") ? htmlEmpty : emptyApi;
          return [
            t.label,
            fmt(m[i]!),
            fmt(percentile(t.ttfb, 90)),
            t.label.includes("empty") ? "" : `${fmt(m[i]! / base, 2)}×`,
          ];
        }),
      ),
      summary:
        `Gallery TTFB with ${large} generations vs empty: page 1 ${fmt(ratios.page1, 2)}×, ` +
        `page ${PAGE} ${fmt(ratios.page50, 2)}×, /gallery ${fmt(ratios.html, 2)}× (target ≤ ${TARGET_RATIO}×: ` +
        `${verdict(met)}); page ${DEEP_PAGE} vs page 1: ${fmt(deep / page1, 2)}×; page 1 vs a one-page gallery: ` +
        `${fmt(page1 / onePage, 2)}×.`,
      targetsMet: met,
    };
  } finally {
    await stack.close();
  }
}

export const galleryScaling: Bench = { name: "gallery", run };
