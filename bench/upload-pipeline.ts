// Upload pipeline: validate, orient, store and thumbnail a 12-megapixel JPEG with the code the
// upload route runs (processImage + storeProcessedImage on local disk), several runs, median; and
// the peak memory a 20,000 × 20,000 PNG bomb costs before it is refused.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import sharp from "sharp";

import { processImage } from "@/server/media/process-image";
import { storeProcessedImage } from "@/server/media/store-image";
import { createLocalStorage } from "@/server/storage/local";

import type { Bench, BenchResult } from "./lib/bench";
import { baseEnv, spawnNode } from "./lib/child-process";
import { fmt, markdownTable, median, verdict } from "./lib/stats";

const RUNS = 9;
const TARGET_MS = 400;
const LIMITS = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 };

/** A 4000 × 3000 camera-like JPEG: smooth gradients with fine noise, stored rotated (EXIF orientation 6). */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (Math.random() * 48) | 0;
  const gradient = await sharp({
    create: { width, height, channels: 3, background: { r: 40, g: 90, b: 150 } },
  })
    .composite([{ input: noise, raw: { width, height, channels: 3 }, blend: "add" }])
    .blur(0.8)
    .raw()
    .toBuffer();
  return sharp(gradient, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function bombRefusal(): Promise<{
  bytes: number;
  peakIncreaseKb: number;
  ms: number;
  refusal: string;
}> {
  const child = spawnNode(
    ["--conditions=react-server", "--import", "tsx", "--expose-gc", "bench/lib/bomb-child.ts"],
    baseEnv(),
    { label: "bomb" },
  );
  const code = await child.exit;
  const line = child
    .output()
    .split("\n")
    .find((l) => l.startsWith("{"));
  if (code !== "0" || !line) throw new Error(`The bomb child failed (${code}):\n${child.output()}`);
  return JSON.parse(line) as { bytes: number; peakIncreaseKb: number; ms: number; refusal: string };
}

async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "reve-bench-upload-"));
  try {
    const storage = createLocalStorage(dir);
    const jpeg = await twelveMegapixelJpeg();
    const times: number[] = [];
    let last: { width: number; height: number; bytes: number } | undefined;
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      const image = await processImage(jpeg, LIMITS);
      await storeProcessedImage(storage, "benchuser", `asset${i}`, image);
      if (i > 0) times.push(performance.now() - t0); // the first run warms libvips up
      last = { width: image.width, height: image.height, bytes: image.bytes };
    }
    const bomb = await bombRefusal();
    const ms = median(times);
    const met = ms <= TARGET_MS;
    return {
      title: "Upload pipeline",
      method:
        `A ${fmt(jpeg.length / 1e6)} MB 4000 × 3000 JPEG with EXIF orientation 6 through processImage ` +
        `(sniff, header check, auto-orient, strip metadata, re-encode, WebP thumbnail, ThumbHash, sha256) and ` +
        `storeProcessedImage (local disk, fsync), ${RUNS} runs after one warm-up. The bomb is refused in a ` +
        "fresh process; its peak is the kernel's VmHWM minus the resident size before the call.",
      table: markdownTable(
        ["case", "median ms", "min ms", "max ms", "result"],
        [
          [
            "12 MP JPEG, validate + orient + store + thumbnail",
            fmt(ms, 0),
            fmt(Math.min(...times), 0),
            fmt(Math.max(...times), 0),
            `${last?.width} × ${last?.height}, ${fmt((last?.bytes ?? 0) / 1e6)} MB stored`,
          ],
          [
            `20,000 × 20,000 PNG bomb (${fmt(bomb.bytes / 1e3)} kB file)`,
            fmt(bomb.ms, 0),
            "",
            "",
            `refused (“${bomb.refusal}”), peak +${fmt(bomb.peakIncreaseKb / 1024)} MB RSS`,
          ],
        ],
      ),
      summary:
        `Upload pipeline: 12 MP JPEG in ${fmt(ms, 0)} ms median (target ≤ ${TARGET_MS} ms: ${verdict(met)}); ` +
        `20,000 × 20,000 PNG bomb refused in ${fmt(bomb.ms, 0)} ms with peak RSS +${fmt(bomb.peakIncreaseKb / 1024)} MB.`,
      targetsMet: met && bomb.refusal !== "accepted",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const uploadPipeline: Bench = { name: "upload", run };
