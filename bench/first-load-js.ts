// First-load JS of /gallery in kB gzip, read from the build's manifests (Next 16's build output
// no longer prints it): the chunks every page boots with plus the entry chunks of each segment on
// the route (root layout, studio layout, gallery page), each file counted once, gzipped at level 9
// as Next's old size report did.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

import type { Bench, BenchResult } from "./lib/bench";
import { fmt, markdownTable, verdict } from "./lib/stats";

const ROUTE = "/(studio)/gallery/page";
const SEGMENTS = [
  "[project]/app/layout",
  "[project]/app/(studio)/layout",
  "[project]/app/(studio)/gallery/page",
];
const TARGET_KB = 130;

interface ClientReferenceManifest {
  entryJSFiles: Record<string, string[]>;
}

/** The chunks every page boots with (React, Next's client runtime), relative to .next/. */
export function sharedFiles(distDir = ".next"): string[] {
  return (
    JSON.parse(readFileSync(join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] }
  ).rootMainFiles;
}

/** The JS files the route loads on a first visit, relative to .next/ (legacy polyfills left out). */
export function firstLoadFiles(distDir = ".next"): string[] {
  // The client reference manifest is a script that assigns to globalThis.__RSC_MANIFEST.
  const sandbox: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  runInNewContext(
    readFileSync(join(distDir, "server/app/(studio)/gallery/page_client-reference-manifest.js"), "utf8"),
    { globalThis: sandbox },
  );
  const manifest = sandbox.__RSC_MANIFEST?.[ROUTE];
  if (!manifest) throw new Error(`No client reference manifest for ${ROUTE}.`);
  const files = new Set(sharedFiles(distDir));
  for (const segment of SEGMENTS) {
    const chunks = manifest.entryJSFiles[segment];
    if (!chunks) throw new Error(`The manifest has no entry chunks for ${segment}.`);
    for (const chunk of chunks) files.add(chunk);
  }
  return [...files];
}

async function run(): Promise<BenchResult> {
  const files = firstLoadFiles();
  const shared = new Set(sharedFiles());
  const sizes = files.map((file) => {
    const bytes = readFileSync(join(".next", file));
    return { file, shared: shared.has(file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const kb = (list: typeof sizes, pick: (s: (typeof sizes)[number]) => number) =>
    list.reduce((sum, s) => sum + pick(s), 0) / 1000;
  const totalKb = kb(sizes, (s) => s.gzip);
  const rawKb = kb(sizes, (s) => s.raw);
  const sharedKb = kb(
    sizes.filter((s) => s.shared),
    (s) => s.gzip,
  );
  const met = totalKb <= TARGET_KB;
  return {
    title: "Gallery first-load JS",
    method:
      "`.next/build-manifest.json` rootMainFiles plus the `entryJSFiles` of the root layout, the studio layout " +
      "and the gallery page in the page's client reference manifest; kB = 1000 bytes. The `nomodule` " +
      "polyfill chunk, which only legacy browsers fetch, is left out as Next's own size report did.",
    table: markdownTable(
      ["chunk", "loaded by", "kB", "kB gzip"],
      [
        ...sizes
          .sort((a, b) => Number(b.shared) - Number(a.shared) || b.gzip - a.gzip)
          .map((s) => [
            s.file.replace("static/chunks/", ""),
            s.shared ? "every page (React, Next runtime)" : "this route's layouts and page",
            fmt(s.raw / 1000),
            fmt(s.gzip / 1000),
          ]),
        ["total", "", fmt(rawKb), fmt(totalKb)],
      ],
    ),
    summary:
      `/gallery first-load JS: ${fmt(totalKb)} kB gzip in ${files.length} chunks (target ≤ ${TARGET_KB} kB: ` +
      `${verdict(met)}); ${fmt(sharedKb)} kB of it is what every page of this Next/React build loads, ` +
      `${fmt(totalKb - sharedKb)} kB the app's own.`,
    targetsMet: met,
  };
}

export const firstLoadJs: Bench = { name: "firstload", run };
