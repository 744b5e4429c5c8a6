import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import sharp from "sharp";

// Text rendered with sharp's text input (pango) using the Geist font the app already ships.
// The font size is chosen here rather than by sharp's auto-fit, which costs ~100 ms per image.

const GEIST_BOLD = fileURLToPath(
  new URL("../node_modules/geist/dist/fonts/geist-sans/Geist-Bold.ttf", import.meta.url),
);
const FONT_FILE = existsSync(GEIST_BOLD) ? GEIST_BOLD : undefined;
const FONT_NAME = FONT_FILE ? "Geist Bold" : "sans bold";

/** Average advance of a Geist Bold character, in em; good enough to plan line breaks. */
const CHAR_EM = 0.56;
const LINE_EM = 1.25;
const MAX_CHARS = 220;

export interface RenderedText {
  data: Buffer;
  width: number;
  height: number;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** Lines a greedy word wrap needs for `text` at `perLine` characters per line. */
function countLines(text: string, perLine: number): number {
  let lines = 1;
  let used = 0;
  for (const word of text.split(" ")) {
    const length = Math.min(word.length, perLine);
    if (used === 0) used = length;
    else if (used + 1 + length <= perLine) used += 1 + length;
    else {
      lines += 1;
      used = length;
    }
  }
  return lines;
}

/** Picks the largest size (px) at which `text` fits the box, and cuts the text if even the smallest does not. */
function layout(text: string, box: { width: number; height: number }, maxSize: number) {
  const minSize = Math.max(12, Math.round(maxSize / 3));
  for (let size = maxSize; size >= minSize; size -= 2) {
    const perLine = Math.max(1, Math.floor(box.width / (size * CHAR_EM)));
    if (countLines(text, perLine) * size * LINE_EM <= box.height) return { text, size };
  }
  const perLine = Math.max(1, Math.floor(box.width / (minSize * CHAR_EM)));
  const maxLines = Math.max(1, Math.floor(box.height / (minSize * LINE_EM)));
  return { text: truncate(text, Math.max(8, Math.floor(perLine * maxLines * 0.85))), size: minSize };
}

/** White text wrapped and centred within `box`, on a transparent background; null for empty text. */
export async function renderText(
  raw: string,
  box: { width: number; height: number },
  maxSize: number,
  color = "#ffffff",
): Promise<RenderedText | null> {
  const clean = truncate(raw.replace(/\s+/g, " ").trim(), MAX_CHARS);
  if (clean === "") return null;
  const { text, size } = layout(clean, box, maxSize);
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="${color}">${escapeMarkup(text)}</span>`,
      font: `${FONT_NAME} ${size}`,
      fontfile: FONT_FILE,
      width: Math.floor(box.width),
      dpi: 72,
      rgba: true,
      wrap: "word",
      align: "center",
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });
  // pango may overshoot the planned height on unusual glyphs; never hand back more than the box.
  if (info.height > box.height || info.width > box.width) {
    const fitted = await sharp(data)
      .resize({ width: Math.floor(box.width), height: Math.floor(box.height), fit: "inside" })
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    return { data: fitted.data, width: fitted.info.width, height: fitted.info.height };
  }
  return { data, width: info.width, height: info.height };
}

/** A translucent rounded panel that keeps text legible on any background. */
export function panel(width: number, height: number, opacity = 0.45, roundness = 0.12): Buffer {
  const radius = Math.round(Math.min(width, height) * roundness);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="${width}" height="${height}" rx="${radius}" fill="#000" fill-opacity="${opacity}"/></svg>`,
  );
}
