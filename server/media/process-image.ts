import "server-only";

import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import sharp, { type Metadata, type OutputInfo, type Sharp } from "sharp";
import { rgbaToThumbHash } from "thumbhash";

import { AppError } from "@/server/errors";

import { EXT_BY_MIME, type ImageExt, type ImageMime, sniffImageType } from "./sniff-image";

export interface ProcessedImage {
  original: Buffer;
  mime: ImageMime;
  ext: ImageExt;
  width: number;
  height: number;
  bytes: number;
  /** WebP, fits within THUMB_MAX_SIDE. */
  thumb: Buffer;
  thumbWidth: number;
  thumbHeight: number;
  /** Base64 ThumbHash. */
  thumbhash: string;
  /** Hex sha256 of `original`. */
  sha256: string;
}

export interface ProcessImageOptions {
  maxBytes: number;
  maxPixels: number;
}

export const THUMB_MAX_SIDE = 512;
// A 512 px WebP at libvips' default effort (4) took up to three times as long as at effort 2, for
// 3% fewer bytes; at 2 the thumbnail is ready about when the original beside it is, so it does not
// hold back the moment a finished job is shown.
const THUMB_WEBP_EFFORT = 2;
const THUMBHASH_MAX_SIDE = 100;
const SHARP_FORMAT: Record<ImageMime, string> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
};
// Each decode can hold hundreds of MB for a large image; a few at a time keeps the process bounded.
const MAX_CONCURRENT = 2;
const PROCESS_TIMEOUT_SECONDS = 60;

// Images are processed once and never again; libvips' operation cache would only hold memory.
sharp.cache(false);
// On glibc Linux sharp defaults to one libvips thread per image to limit memory fragmentation; with
// at most MAX_CONCURRENT images at a time, one thread per core is bounded and halves an upload's wait.
sharp.concurrency(availableParallelism());

const unsupported = () => new AppError("unsupported_media", "Only JPEG, PNG or WebP images are accepted.");
const damaged = (cause?: unknown) =>
  new AppError("invalid_input", "The image file is damaged or incomplete.", { cause });

function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Number((bytes / 1024).toFixed(1))} KB`;
}

function tooManyPixels(maxPixels: number): AppError {
  const megapixels = Number((maxPixels / 1_000_000).toFixed(1));
  return new AppError(
    "payload_too_large",
    `The image has too many pixels: at most ${megapixels} megapixels.`,
  );
}

// sharp checks the header against limitInputPixels too; say so rather than calling the file damaged.
function fromSharpError(error: unknown, maxPixels: number): AppError {
  if (error instanceof Error && /pixel limit/i.test(error.message)) return tooManyPixels(maxPixels);
  return damaged(error);
}

// One set of slots per process, on globalThis: uploads (actions) and output copies (the poller)
// run in different layers of a built server, each with its own copy of this module.
const globalForSlots = globalThis as unknown as {
  reveImageSlots?: { running: number; waiting: (() => void)[] };
};
const slots = (globalForSlots.reveImageSlots ??= { running: 0, waiting: [] });

/** Runs sharp work once a slot is free, so a burst of images never decodes all at once. */
export async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.running >= MAX_CONCURRENT) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  else slots.running++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter, or free it.
    const next = slots.waiting.shift();
    if (next) next();
    else slots.running--;
  }
}

/**
 * Validates an untrusted image and prepares what storage and the Asset row need: the original,
 * upright and without metadata (EXIF, GPS, ICC), re-encoded in its own format, a WebP thumbnail and
 * a ThumbHash placeholder.
 */
export async function processImage(input: Buffer, opts: ProcessImageOptions): Promise<ProcessedImage> {
  if (input.length > opts.maxBytes) {
    throw new AppError(
      "payload_too_large",
      `The image is larger than the ${formatSize(opts.maxBytes)} limit.`,
    );
  }
  const mime = sniffImageType(input);
  if (!mime) throw unsupported();

  const sharpOptions = { limitInputPixels: opts.maxPixels, failOn: "truncated", autoOrient: true } as const;

  let metadata: Metadata;
  try {
    metadata = await sharp(input, sharpOptions).metadata();
  } catch (error) {
    throw fromSharpError(error, opts.maxPixels);
  }
  if (metadata.format !== SHARP_FORMAT[mime]) throw unsupported();
  // Header dimensions decide before any pixel is decoded, so a decompression bomb costs nothing.
  if (!metadata.width || !metadata.height) throw damaged();
  if (metadata.width * metadata.height > opts.maxPixels) throw tooManyPixels(opts.maxPixels);

  return withSlot(async () => {
    let original: Buffer;
    let info: OutputInfo;
    let thumb: Buffer;
    let thumbInfo: OutputInfo;
    try {
      // The original and the thumbnail are made side by side, each under the same limits.
      const decode = () => sharp(input, sharpOptions).timeout({ seconds: PROCESS_TIMEOUT_SECONDS });
      [{ data: original, info }, { data: thumb, info: thumbInfo }] = await Promise.all([
        encodeAs(decode(), mime).toBuffer({ resolveWithObject: true }),
        decode()
          .resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
          .webp({ quality: 80, effort: THUMB_WEBP_EFFORT })
          .toBuffer({ resolveWithObject: true }),
      ]);
    } catch (error) {
      throw fromSharpError(error, opts.maxPixels);
    }

    return {
      original,
      mime,
      ext: EXT_BY_MIME[mime],
      width: info.width,
      height: info.height,
      bytes: original.length,
      thumb,
      thumbWidth: thumbInfo.width,
      thumbHeight: thumbInfo.height,
      thumbhash: await thumbhashOf(thumb),
      sha256: createHash("sha256").update(original).digest("hex"),
    };
  });
}

function encodeAs(image: Sharp, mime: ImageMime): Sharp {
  switch (mime) {
    case "image/jpeg":
      return image.jpeg({ quality: 90 });
    case "image/png":
      return image.png({ compressionLevel: 6 });
    case "image/webp":
      return image.webp({ quality: 90 });
  }
}

async function thumbhashOf(thumb: Buffer): Promise<string> {
  const { data, info } = await sharp(thumb)
    .resize(THUMBHASH_MAX_SIDE, THUMBHASH_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString("base64");
}
