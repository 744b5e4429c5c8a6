// Gallery scroll: Chromium scrolls /gallery to the end of 10,000 generations (seeded in SQL), the
// way a person does, with the wheel, pages loading as the end comes near. Measured in the page:
// animation frames over 50 ms (long-animation-frame entries, main thread busy from the frame's start
// to its paint), tiles
// and DOM nodes at the end, and the time from the first scroll to the last row on screen. A
// 240-image gallery scrolled the same way is the baseline. Thumbnails are answered from memory by
// the browser context (the seeded rows have no files), so the frames are the page's own work. The
// requests the page sends to the studio during the scroll (pages of the list, and anything else) and
// the machine's load average are recorded beside the frames.
import { loadavg } from "node:os";

import type { Page } from "@playwright/test";
import sharp from "sharp";

import type { Bench, BenchResult } from "./lib/bench";
import { launchChromium, signedInContext } from "./lib/chromium";
import { seedGallery } from "./lib/seed-gallery";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, verdict } from "./lib/stats";
import { createUsers, type BenchUser } from "./lib/studio-client";

const LARGE = 10_000;
/** The baseline: ten pages, scrolled the same way, so each frame figure has one beside it. */
const SMALL = 240;
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
  tilesAtEnd: number;
  domNodesAtEnd: number;
  /** Of the long frames' time: in scripts, and in style, layout and the rest of rendering. */
  longScriptMs: number;
  longStyleLayoutMs: number;
  /** Where the long frames' script time went, by invoker. */
  topScripts: string;
  /** Requests to the studio itself during the scroll, thumbnails aside. */
  requests: number;
  /** One-minute load average when the scroll started and when it ended. */
  load: [number, number];
}

/** A frame over 50 ms, split the way long-animation-frame entries split it. */
interface LongFrame {
  duration: number;
  /** Time in the frame's scripts (event handlers, callbacks, timers, React's scheduler). */
  script: number;
  /** Time from the frame's style recalculation to its end: style, layout, paint, commit. */
  styleLayout: number;
  /** Each script's invoker ("DOMWindow.onscroll", "MessagePort.onmessage", …) and its time. */
  scripts: [string, number][];
}

interface FrameLog {
  loaf: number[];
  long: LongFrame[];
}

// Runs in the page before any script of the studio's: frame records start with the first paint.
const RECORD_FRAMES = () => {
  interface Entry {
    startTime: number;
    duration: number;
    styleAndLayoutStart: number;
    scripts: { duration: number; invoker: string; invokerType: string }[];
  }
  const w = window as unknown as { __frames: FrameLog };
  w.__frames = { loaf: [], long: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as Entry[]) {
      w.__frames.loaf.push(entry.duration);
      if (entry.duration <= 50) continue;
      const scripts = entry.scripts.map((s): [string, number] => [s.invoker || s.invokerType, s.duration]);
      w.__frames.long.push({
        duration: entry.duration,
        script: scripts.reduce((sum, [, ms]) => sum + ms, 0),
        styleLayout:
          entry.styleAndLayoutStart > 0 ? entry.startTime + entry.duration - entry.styleAndLayoutStart : 0,
        scripts,
      });
    }
  }).observe({ type: "long-animation-frame", buffered: true });
};

/** The invokers that took the most of the long frames' script time, with their total ms. */
function topScripts(frames: LongFrame[], n = 4): string {
  const totals = new Map<string, number>();
  for (const [invoker, ms] of frames.flatMap((f) => f.scripts)) {
    // Query strings and ids in invokers (a fetch's URL) would split one source into many.
    const key = invoker.replace(/\?.*$/, "").replace(/[0-9a-f]{8,}/g, "…");
    totals.set(key, (totals.get(key) ?? 0) + ms);
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([invoker, ms]) => `${invoker} ${fmt(ms, 0)} ms`)
    .join("; ");
}

async function scrollToEnd(page: Page, url: string, total: number, label: string): Promise<ScrollFigures> {
  await page.goto(url);
  await page.getByTestId("gallery-item").first().waitFor();
  // Frames during the load are not the scroll's: start counting now.
  await page.evaluate(() => {
    const frames = (window as unknown as { __frames: FrameLog }).__frames;
    frames.loaf.length = 0;
    frames.long.length = 0;
  });
  let requests = 0;
  page.on("request", (request) => {
    if (!new URL(request.url()).pathname.startsWith("/api/media/")) requests += 1;
  });
  const loadBefore = loadavg()[0]!;
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
  const loadAfter = loadavg()[0]!;
  await page.waitForTimeout(500);
  const end = await page.evaluate(() => {
    return {
      frames: (window as unknown as { __frames: FrameLog }).__frames,
      tiles: document.querySelectorAll("[data-testid=gallery-item]").length,
      nodes: document.getElementsByTagName("*").length,
    };
  });
  return {
    label,
    turns,
    secondsToLastRow: seconds,
    longFrames: end.frames.loaf.filter((d) => d > 50).length,
    worstFrameMs: Math.max(0, ...end.frames.loaf),
    longScriptMs: end.frames.long.reduce((sum, f) => sum + f.script, 0),
    longStyleLayoutMs: end.frames.long.reduce((sum, f) => sum + f.styleLayout, 0),
    topScripts: topScripts(end.frames.long),
    tilesAtEnd: end.tiles,
    domNodesAtEnd: end.nodes,
    requests,
    load: [loadBefore, loadAfter],
  };
}

async function run(): Promise<BenchResult> {
  const seeded: BenchUser[] = [];
  const stack = await startBenchStack("gallery-scroll", {
    env: { WEBHOOKS_ENABLED: "false", POLLER_ENABLED: "false" },
    async beforeStart(db) {
      const [large, onePage] = await createUsers(db.db, 2, 10, "scroll");
      await seedGallery(db.url, large!.id, LARGE, "large");
      await seedGallery(db.url, onePage!.id, SMALL, "page");
      seeded.push(large!, onePage!);
    },
  });
  const thumb = await sharp({ create: { width: 512, height: 512, channels: 3, background: "#6b7f99" } })
    .webp()
    .toBuffer();
  const browser = await launchChromium();
  try {
    const { studio } = stack;
    const figures: ScrollFigures[] = [];
    for (const [user, total] of [
      [seeded[1]!, SMALL],
      [seeded[0]!, LARGE],
    ] as const) {
      const context = await signedInContext(browser, studio.url, user.email);
      await context.route("**/api/media/**", (route) =>
        route.fulfill({ status: 200, contentType: "image/webp", body: thumb }),
      );
      const page = await context.newPage();
      await page.addInitScript(RECORD_FRAMES);
      figures.push(
        await scrollToEnd(page, `${studio.url}/gallery`, total, `${total.toLocaleString("en")} generations`),
      );
      await context.close();
    }
    const [base, large] = figures as [ScrollFigures, ScrollFigures];
    const worst = large.worstFrameMs;
    const per100 = (f: ScrollFigures) => (f.turns > 0 ? (100 * f.longFrames) / f.turns : 0);
    const met = large.tilesAtEnd < MAX_TILES && worst <= MAX_FRAME_MS;
    return {
      title: "Gallery scroll",
      method:
        `Chromium (1280×800) signs in and scrolls /gallery with the mouse wheel, ${WHEEL_PX} px a turn and one ` +
        "frame between turns, until the last generation's tile is in the DOM; pages of 24 load as the end " +
        "nears. Long frames are long-animation-frame entries over 50 ms during the scroll. " +
        `${LARGE.toLocaleString("en")} and ${SMALL} succeeded generations seeded in SQL; thumbnails are ` +
        "answered from memory by the browser context, so the server's image reads are not in the frames. " +
        "A long frame's time is split as its entry splits it: its scripts, and from style recalculation " +
        "to its end (style, layout, paint). Requests to the studio are those the page sends during the scroll, thumbnails aside; the load " +
        "average is the machine's, read when each scroll starts and ends.",
      table:
        markdownTable(
          [
            "gallery",
            "wheel turns",
            "s to last row",
            "frames > 50 ms",
            "per 100 turns",
            "worst frame ms",
            "long frames: script / style+layout ms",
            "tiles in DOM at end",
            "DOM nodes at end",
            "requests to the studio",
            "load avg (1 min) start / end",
          ],
          figures.map((f) => [
            f.label,
            f.turns,
            fmt(f.secondsToLastRow),
            f.longFrames,
            fmt(per100(f)),
            fmt(f.worstFrameMs),
            `${fmt(f.longScriptMs, 0)} / ${fmt(f.longStyleLayoutMs, 0)}`,
            f.tilesAtEnd,
            f.domNodesAtEnd,
            f.requests,
            `${fmt(f.load[0], 1)} / ${fmt(f.load[1], 1)}`,
          ]),
        ) +
        "\n\nLong frames' script time by invoker: " +
        figures.map((f) => `${f.label}: ${f.topScripts || "none"}`).join("; ") +
        ".",
      summary:
        `Gallery scroll through ${LARGE.toLocaleString("en")} images: ${large.tilesAtEnd} tiles and ` +
        `${large.domNodesAtEnd} DOM nodes at the end (${fmt(large.domNodesAtEnd / base.domNodesAtEnd, 2)}× a ` +
        `${SMALL}-image gallery), ${large.longFrames} frames over 50 ms (${fmt(per100(large))} per 100 wheel turns ` +
        `vs ${fmt(per100(base))} at ${SMALL}), worst ${fmt(worst)} ms, last row after ` +
        `${fmt(large.secondsToLastRow)} s at a load average of ${fmt(large.load[0])}–${fmt(large.load[1])} ` +
        `(targets < ${MAX_TILES} tiles, no frame over ${MAX_FRAME_MS} ms: ${verdict(met)}).`,
      targetsMet: met,
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}

export const galleryScroll: Bench = { name: "gallery-scroll", run };
