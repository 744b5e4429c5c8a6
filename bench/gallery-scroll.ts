// Gallery scroll: Chromium scrolls /gallery to the end of 10,000 generations (seeded in SQL), the
// way a person does, with the wheel, pages loading as the end comes near. Measured in the page:
// animation frames over 50 ms (long-animation-frame entries, and rAF gaps as a cross-check), tiles
// and DOM nodes at the end, and the time from the first scroll to the last row on screen. A
// one-page gallery scrolled the same way is the baseline.
import { chromium, type Page } from "@playwright/test";

import type { Bench, BenchResult } from "./lib/bench";
import { seedGallery } from "./lib/seed-gallery";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, verdict } from "./lib/stats";
import { createUsers, signIn, type BenchUser } from "./lib/studio-client";

const LARGE = 10_000;
const ONE_PAGE = 24;
const MAX_TILES = 300;
const MAX_FRAME_MS = 100;
const WHEEL_PX = 1500;
/** A run that has not reached the end after this many wheel turns has stalled. */
const MAX_TURNS = 20_000;

interface ScrollFigures {
  label: string;
  turns: number;
  secondsToLastRow: number;
  longFrames: number;
  worstFrameMs: number;
  worstRafGapMs: number;
  tilesAtEnd: number;
  domNodesAtEnd: number;
}

// Runs in the page before any script of the studio's: frame records start with the first paint.
const RECORD_FRAMES = () => {
  const w = window as unknown as { __frames: { loaf: number[]; rafMax: number; rafOver50: number } };
  w.__frames = { loaf: [], rafMax: 0, rafOver50: 0 };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__frames.loaf.push(entry.duration);
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {
    // Older engines: the rAF gaps below still say it.
  }
  let last = performance.now();
  const tick = (now: number) => {
    const gap = now - last;
    last = now;
    if (gap > w.__frames.rafMax) w.__frames.rafMax = gap;
    if (gap > 50) w.__frames.rafOver50 += 1;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

async function scrollToEnd(page: Page, url: string, total: number, label: string): Promise<ScrollFigures> {
  await page.goto(url);
  await page.getByTestId("gallery-item").first().waitFor();
  // Frames during the load are not the scroll's: start counting now.
  await page.evaluate(() => {
    const w = window as unknown as { __frames: { loaf: number[]; rafMax: number; rafOver50: number } };
    w.__frames.loaf.length = 0;
    w.__frames.rafMax = 0;
    w.__frames.rafOver50 = 0;
  });
  const t0 = Date.now();
  let turns = 0;
  const lastDrawn = () =>
    page.evaluate(
      (n) => document.querySelector(`li[aria-posinset="${n}"][aria-setsize="${n}"]`) !== null,
      total,
    );
  while (!(await lastDrawn())) {
    if (++turns > MAX_TURNS) throw new Error(`${label}: the last row never came after ${MAX_TURNS} turns.`);
    await page.mouse.wheel(0, WHEEL_PX);
    // One frame for the wheel to land, as a person's next flick would.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  }
  const seconds = (Date.now() - t0) / 1000;
  await page.waitForTimeout(500);
  const end = await page.evaluate(() => {
    const w = window as unknown as { __frames: { loaf: number[]; rafMax: number; rafOver50: number } };
    return {
      loaf: w.__frames.loaf,
      rafMax: w.__frames.rafMax,
      tiles: document.querySelectorAll("[data-testid=gallery-item]").length,
      nodes: document.getElementsByTagName("*").length,
    };
  });
  return {
    label,
    turns,
    secondsToLastRow: seconds,
    longFrames: end.loaf.filter((d) => d > 50).length,
    worstFrameMs: Math.max(0, ...end.loaf),
    worstRafGapMs: end.rafMax,
    tilesAtEnd: end.tiles,
    domNodesAtEnd: end.nodes,
  };
}

async function run(): Promise<BenchResult> {
  const seeded: BenchUser[] = [];
  const stack = await startBenchStack("gallery-scroll", {
    env: { WEBHOOKS_ENABLED: "false", POLLER_ENABLED: "false" },
    async beforeStart(db) {
      const [large, onePage] = await createUsers(db.db, 2, 10, "scroll");
      await seedGallery(db.url, large!.id, LARGE, "large");
      await seedGallery(db.url, onePage!.id, ONE_PAGE, "page");
      seeded.push(large!, onePage!);
    },
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const { studio } = stack;
    const figures: ScrollFigures[] = [];
    for (const [user, total] of [
      [seeded[1]!, ONE_PAGE],
      [seeded[0]!, LARGE],
    ] as const) {
      const [name, value] = (await signIn(studio.url, user.email)).split(/=(.*)/s) as [string, string];
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name, value, url: studio.url }]);
      const page = await context.newPage();
      await page.addInitScript(RECORD_FRAMES);
      figures.push(
        await scrollToEnd(page, `${studio.url}/gallery`, total, `${total.toLocaleString("en")} generations`),
      );
      await context.close();
    }
    const [base, large] = figures as [ScrollFigures, ScrollFigures];
    const worst = Math.max(large.worstFrameMs, large.worstRafGapMs);
    const met = large.tilesAtEnd < MAX_TILES && worst <= MAX_FRAME_MS;
    return {
      title: "Gallery scroll",
      method:
        `Chromium (1280×800) signs in and scrolls /gallery with the mouse wheel, ${WHEEL_PX} px a turn and one ` +
        "frame between turns, until the last generation's tile is in the DOM; pages of 24 load as the end " +
        "nears. Long frames are long-animation-frame entries over 50 ms during the scroll; the rAF gap is " +
        `the longest time between two animation frames. ${LARGE.toLocaleString("en")} and ${ONE_PAGE} ` +
        "succeeded generations seeded in SQL (their image files are absent: tiles keep their size anyway).",
      table: markdownTable(
        [
          "gallery",
          "wheel turns",
          "s to last row",
          "frames > 50 ms",
          "worst frame ms",
          "worst rAF gap ms",
          "tiles in DOM at end",
          "DOM nodes at end",
        ],
        figures.map((f) => [
          f.label,
          f.turns,
          fmt(f.secondsToLastRow),
          f.longFrames,
          fmt(f.worstFrameMs),
          fmt(f.worstRafGapMs),
          f.tilesAtEnd,
          f.domNodesAtEnd,
        ]),
      ),
      summary:
        `Gallery scroll through ${LARGE.toLocaleString("en")} images: ${large.tilesAtEnd} tiles and ` +
        `${large.domNodesAtEnd} DOM nodes at the end (${fmt(large.domNodesAtEnd / base.domNodesAtEnd, 2)}× a ` +
        `${ONE_PAGE}-image gallery), ${large.longFrames} frames over 50 ms, worst ${fmt(worst)} ms, last row after ` +
        `${fmt(large.secondsToLastRow)} s (targets < ${MAX_TILES} tiles, no frame over ${MAX_FRAME_MS} ms: ${verdict(met)}).`,
      targetsMet: met,
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}

export const galleryScroll: Bench = { name: "gallery-scroll", run };
