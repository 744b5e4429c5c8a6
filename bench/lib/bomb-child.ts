// Runs in a fresh process: refuses a PNG bomb with processImage and prints the peak resident memory
// above the level before the call, read from the kernel's high-water mark (VmHWM).
import { readFileSync, writeFileSync } from "node:fs";

import sharp from "sharp";

import { processImage } from "@/server/media/process-image";

import { pngBomb } from "./bomb";

const LIMITS = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 };

function kb(field: "VmHWM" | "VmRSS"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

const bomb = pngBomb();
// Load libvips and warm its code paths on an honest image first, so only the refusal is measured.
const small = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#888" } })
  .png()
  .toBuffer();
await processImage(small, LIMITS);
globalThis.gc?.();
// Writing 5 resets the high-water mark to the current resident size (Linux ≥ 4.0).
writeFileSync("/proc/self/clear_refs", "5");
const before = kb("VmRSS");
const t0 = performance.now();
let refusal = "accepted";
try {
  await processImage(bomb, LIMITS);
} catch (error) {
  refusal = error instanceof Error ? error.message : String(error);
}
const ms = performance.now() - t0;
console.info(JSON.stringify({ bytes: bomb.length, peakIncreaseKb: kb("VmHWM") - before, ms, refusal }));
