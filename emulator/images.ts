import { createHash } from "node:crypto";

import sharp, { type Metadata, type OverlayOptions } from "sharp";

import { ASPECT_RATIOS, type AspectRatio } from "@/lib/domain";

import { panel, renderText } from "./text";

// Real PNGs standing in for Reve's output: create draws a colourful card from a hash of its inputs
// (same inputs, same bytes), edit recolours the input image, remix tiles the references.

export const ASPECT_SIZES: Record<AspectRatio, { width: number; height: number }> = {
  "1:1": { width: 1024, height: 1024 },
  "16:9": { width: 1024, height: 576 },
  "9:16": { width: 576, height: 1024 },
  "4:3": { width: 1024, height: 768 },
  "3:4": { width: 768, height: 1024 },
  "3:2": { width: 1024, height: 683 },
  "2:3": { width: 683, height: 1024 },
};

const LONG_SIDE = 1024;
/** Inputs larger than this many pixels are refused, to keep one job's memory bounded. */
export const MAX_INPUT_PIXELS = 40_000_000;
const PNG = { compressionLevel: 6 } as const;

export function isAspectRatio(value: unknown): value is AspectRatio {
  return typeof value === "string" && (ASPECT_RATIOS as readonly string[]).includes(value);
}

/** The supported ratio nearest to width:height. */
export function closestRatio(width: number, height: number): AspectRatio {
  const target = Math.log(width / height);
  let best: AspectRatio = "1:1";
  for (const ratio of ASPECT_RATIOS) {
    const size = ASPECT_SIZES[ratio];
    const best_ = ASPECT_SIZES[best];
    if (
      Math.abs(Math.log(size.width / size.height) - target) <
      Math.abs(Math.log(best_.width / best_.height) - target)
    )
      best = ratio;
  }
  return best;
}

function digest(parts: unknown[]): Buffer {
  return createHash("sha256").update(JSON.stringify(parts)).digest();
}

const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h % 360)},${s}%,${l}%)`;

function backgroundSvg(width: number, height: number, hash: Buffer): Buffer {
  const byte = (i: number) => hash[i % hash.length] ?? 0;
  const hue = (byte(0) / 255) * 360;
  const stops = [hsl(hue, 75, 55), hsl(hue + 110 + (byte(1) % 60), 60, 32), hsl(hue + 210, 70, 50)];
  const circles = [0, 1, 2, 3]
    .map((i) => {
      const cx = Math.round((byte(2 + i * 3) / 255) * width);
      const cy = Math.round((byte(3 + i * 3) / 255) * height);
      const r = Math.round((0.12 + (byte(4 + i * 3) / 255) * 0.3) * Math.max(width, height));
      const fill = hsl(hue + 45 + i * 70, 80, 60);
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}" fill-opacity="0.4"/>`;
    })
    .join("");
  const angle = Math.round((byte(20) / 255) * 360);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>` +
      `<linearGradient id="g" gradientTransform="rotate(${angle} 0.5 0.5)">` +
      `<stop offset="0" stop-color="${stops[0]}"/><stop offset="0.5" stop-color="${stops[1]}"/>` +
      `<stop offset="1" stop-color="${stops[2]}"/></linearGradient></defs>` +
      `<rect width="100%" height="100%" fill="url(#g)"/>${circles}</svg>`,
  );
}

/** The prompt centred on a translucent panel, as overlays for an image of this size. */
async function centredCaption(text: string, width: number, height: number): Promise<OverlayOptions[]> {
  const pad = Math.round(Math.min(width, height) * 0.04);
  const rendered = await renderText(
    text,
    { width: width * 0.8, height: height * 0.6 },
    Math.round(Math.min(width, height) / 11),
  );
  if (!rendered) return [];
  const w = rendered.width + pad * 2;
  const h = rendered.height + pad * 2;
  const left = Math.round((width - w) / 2);
  const top = Math.round((height - h) / 2);
  return [
    { input: panel(w, h), left, top },
    { input: rendered.data, left: left + pad, top: top + pad },
  ];
}

/** A dark band along the bottom carrying `text`, as overlays for an image of this size. */
async function banner(text: string, width: number, height: number): Promise<OverlayOptions[]> {
  const bandHeight = Math.round(height * 0.18);
  const pad = Math.round(bandHeight * 0.12);
  const rendered = await renderText(
    text,
    { width: width - pad * 4, height: bandHeight - pad * 2 },
    Math.round(Math.min(width, height) / 18),
  );
  const band = { input: panel(width, bandHeight, 0.6, 0), left: 0, top: height - bandHeight };
  if (!rendered) return [band];
  return [
    band,
    {
      input: rendered.data,
      left: Math.round((width - rendered.width) / 2),
      top: height - bandHeight + Math.round((bandHeight - rendered.height) / 2),
    },
  ];
}

export interface CreateRecipe {
  prompt: string;
  negativePrompt?: string;
  seed: number;
  ratio: AspectRatio;
  /** Second and later outputs of one job differ by this. */
  variant: number;
}

export async function renderCreate(recipe: CreateRecipe): Promise<Buffer> {
  const { width, height } = ASPECT_SIZES[recipe.ratio];
  const hash = digest([
    recipe.prompt,
    recipe.negativePrompt ?? "",
    recipe.seed,
    recipe.ratio,
    recipe.variant,
  ]);
  const overlays = await centredCaption(recipe.prompt, width, height);
  return sharp(backgroundSvg(width, height, hash))
    .composite(overlays)
    .png(PNG)
    .toBuffer();
}

function orientedSize(meta: Metadata): { width: number; height: number } {
  const { width = 0, height = 0, orientation } = meta;
  return orientation !== undefined && orientation >= 5 ? { width: height, height: width } : { width, height };
}

/** Throws when `input` is not an image sharp can read, or too large. */
export async function inspectImage(input: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const size = orientedSize(meta);
  if (!size.width || !size.height) throw new Error("not an image");
  return size;
}

type Matrix3 = [[number, number, number], [number, number, number], [number, number, number]];

/** A hue rotation as a channel mix (the SVG feColorMatrix one): far cheaper than modulate's LCh round trip. */
function hueRotation(degrees: number): Matrix3 {
  const rad = (degrees * Math.PI) / 180;
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return [
    [0.213 + c * 0.787 - s * 0.213, 0.715 - c * 0.715 - s * 0.715, 0.072 - c * 0.072 + s * 0.928],
    [0.213 - c * 0.213 + s * 0.143, 0.715 + c * 0.285 + s * 0.14, 0.072 - c * 0.072 - s * 0.283],
    [0.213 - c * 0.213 - s * 0.787, 0.715 - c * 0.715 + s * 0.715, 0.072 + c * 0.928 + s * 0.072],
  ];
}

/** The input, recoloured and scaled to a long side of 1024 (same aspect), with the instruction in a banner. */
export async function renderEdit(input: Buffer, prompt: string, variant: number): Promise<Buffer> {
  const source = await inspectImage(input);
  const scale = LONG_SIDE / Math.max(source.width, source.height);
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const hash = digest([prompt, variant]);
  const hueShift = 90 + Math.round(((hash[0] ?? 0) / 255) * 180);
  // A colour wash too, so that grey inputs (which a hue shift leaves alone) change visibly as well.
  const wash = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="100%" height="100%" fill="${hsl(hueShift * 2, 85, 50)}" fill-opacity="0.3"/></svg>`,
  );
  const label = variant > 0 ? `Edit ${variant + 1}: ${prompt}` : `Edit: ${prompt}`;
  const overlays = await banner(label, width, height);
  return sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize(width, height, { fit: "fill" })
    .flatten({ background: "#ffffff" })
    .recomb(hueRotation(hueShift))
    .composite([{ input: wash, left: 0, top: 0 }, ...overlays])
    .png(PNG)
    .toBuffer();
}

/** Cells of a grid for `count` tiles on a width×height canvas, rows and columns following its shape. */
function grid(count: number, width: number, height: number) {
  const across = width >= height;
  const major = count <= 3 ? count : 2;
  const minor = Math.ceil(count / major);
  const cols = across ? major : minor;
  const rows = across ? minor : major;
  const cells: { left: number; top: number; width: number; height: number }[] = [];
  for (let i = 0; i < count; i++) {
    const col = across ? i % cols : Math.floor(i / rows);
    const row = across ? Math.floor(i / cols) : i % rows;
    const left = Math.round((col * width) / cols);
    const top = Math.round((row * height) / rows);
    cells.push({
      left,
      top,
      width: Math.round(((col + 1) * width) / cols) - left,
      height: Math.round(((row + 1) * height) / rows) - top,
    });
  }
  return cells;
}

/** The references tiled into the requested ratio, with the prompt in a banner. */
export async function renderRemix(
  inputs: Buffer[],
  prompt: string,
  ratio: AspectRatio,
  variant: number,
): Promise<Buffer> {
  const { width, height } = ASPECT_SIZES[ratio];
  const cells = grid(inputs.length, width, height);
  const ordered = variant % 2 === 1 ? [...inputs].reverse() : inputs;
  const tiles = await Promise.all(
    ordered.map(async (input, i) => {
      const cell = cells[i]!;
      const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize(cell.width, cell.height, { fit: "cover" })
        .flatten({ background: "#ffffff" })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const raw = { width: info.width, height: info.height, channels: info.channels };
      return { input: data, raw, left: cell.left, top: cell.top } satisfies OverlayOptions;
    }),
  );
  const label = variant > 0 ? `Remix ${variant + 1}: ${prompt}` : `Remix: ${prompt}`;
  const overlays = await banner(label, width, height);
  return sharp({ create: { width, height, channels: 3, background: "#202020" } })
    .composite([...tiles, ...overlays])
    .png(PNG)
    .toBuffer();
}
