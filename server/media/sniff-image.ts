import "server-only";

export type ImageMime = "image/jpeg" | "image/png" | "image/webp";
export type ImageExt = "jpg" | "png" | "webp";

export const EXT_BY_MIME: Record<ImageMime, ImageExt> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(buf: Uint8Array, bytes: number[], offset = 0): boolean {
  return buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/** The image type the bytes really are (never the file name), or null for anything we do not take. */
export function sniffImageType(buf: Uint8Array): ImageMime | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(buf, PNG_SIGNATURE)) return "image/png";
  if (startsWith(buf, ascii("RIFF")) && startsWith(buf, ascii("WEBP"), 8)) return "image/webp";
  return null;
}
