import "server-only";

import { crc32 } from "node:zlib";

import sharp from "sharp";

import { fileSettingsSchema, type FileSettings } from "@/lib/file-settings";
import { AppError } from "@/server/errors";

// Settings travel inside a downloaded image as an XMP packet of our own namespace, with the prompt
// also in dc:description, where other tools look for a caption: JPEG's APP1 and WebP's XMP chunk
// through sharp, and for PNG the uncompressed `XML:com.adobe.xmp` iTXt chunk the XMP specification
// names (libvips would write a zTXt chunk, which fewer readers look at).

export const SETTINGS_NAMESPACE = "https://reve-studio.app/ns/settings/1.0/";
const FIELDS = [
  "prompt",
  "negativePrompt",
  "aspectRatio",
  "seed",
  "provider",
  "operation",
  "studioUrl",
] as const;
type Field = (typeof FIELDS)[number];
/** Far more than our own packet ever needs (two 2,560-character prompts, escaped). */
const MAX_XMP_CHARS = 64 * 1024;

// XML 1.0 admits no other control characters, even escaped.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const escapeXml = (value: string) =>
  value
    .replace(FORBIDDEN, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // Attribute values would turn line breaks and tabs into spaces unless escaped.
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const REFERENCE = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/gi;

/** An attribute value with its references resolved; null for a stray `&` or an unknown reference. */
function unescapeXml(value: string): string | null {
  if (value.replace(REFERENCE, "").includes("&")) return null;
  let bad = false;
  const text = value.replace(REFERENCE, (_, ref: string) => {
    const hex = /^#x/i.test(ref);
    const code = ref.startsWith("#") ? parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10) : NaN;
    const resolved = ref.startsWith("#")
      ? code <= 0x10ffff
        ? String.fromCodePoint(code)
        : undefined
      : ENTITIES[ref];
    if (resolved === undefined) bad = true;
    return resolved ?? "";
  });
  return bad ? null : text;
}

/** The XMP packet that carries one job's settings. */
export function settingsXmp(settings: FileSettings): string {
  const attributes = FIELDS.flatMap((field) => {
    const value = settings[field];
    return value === null ? [] : [`reve:${field}="${escapeXml(String(value))}"`];
  });
  return [
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>`,
    `<x:xmpmeta xmlns:x="adobe:ns:meta/">`,
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`,
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:reve="${SETTINGS_NAMESPACE}" ${attributes.join(" ")}>`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(settings.prompt)}</rdf:li></rdf:Alt></dc:description>`,
    `</rdf:Description>`,
    `</rdf:RDF>`,
    `</x:xmpmeta>`,
    `<?xpacket end="w"?>`,
  ].join("\n");
}

/**
 * The settings in an XMP packet, or null when it holds none of ours or anything in it is out of
 * bounds: a file from elsewhere is never trusted, whatever it claims.
 */
export function parseSettingsXmp(xmp: string): FileSettings | null {
  if (xmp.length > MAX_XMP_CHARS || !xmp.includes(`xmlns:reve="${SETTINGS_NAMESPACE}"`)) return null;
  const raw: Partial<Record<Field, string>> = {};
  for (const [, name, value] of xmp.matchAll(/\sreve:([A-Za-z]{1,40})="([^"<]*)"/g)) {
    const field = FIELDS.find((f) => f === name);
    // An unknown or repeated field means the packet is not one we wrote.
    if (!field || raw[field] !== undefined) return null;
    const text = unescapeXml(value!);
    if (text === null) return null;
    raw[field] = text;
  }
  const seed = raw.seed === undefined ? null : /^\d{1,10}$/.test(raw.seed) ? Number(raw.seed) : NaN;
  const parsed = fileSettingsSchema.safeParse({
    prompt: raw.prompt,
    negativePrompt: raw.negativePrompt ?? null,
    aspectRatio: raw.aspectRatio ?? null,
    seed,
    provider: raw.provider ?? null,
    operation: raw.operation,
    studioUrl: raw.studioUrl ?? null,
  });
  return parsed.success ? parsed.data : null;
}

const EMBEDDABLE = new Set(["image/png", "image/jpeg", "image/webp"]);

/**
 * The image re-encoded in its own format with the settings in its XMP (and no other metadata).
 * Other formats are returned as they are.
 */
export async function embedSettings(
  bytes: Uint8Array,
  mime: string,
  settings: FileSettings,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!EMBEDDABLE.has(mime)) return new Uint8Array(bytes);
  const xmp = settingsXmp(settings);
  const image = sharp(bytes, { limitInputPixels: false }).keepIccProfile();
  if (mime === "image/png") return withPngXmp(await image.png({ compressionLevel: 6 }).toBuffer(), xmp);
  const encoded = mime === "image/jpeg" ? image.jpeg({ quality: 95 }) : image.webp({ quality: 95 });
  return new Uint8Array(await encoded.withXmp(xmp).toBuffer());
}

const PNG_SIGNATURE_BYTES = 8;

/** The PNG with an iTXt `XML:com.adobe.xmp` chunk (uncompressed, no language) right after IHDR. */
function withPngXmp(png: Buffer, xmp: string): Uint8Array<ArrayBuffer> {
  const ihdrEnd = PNG_SIGNATURE_BYTES + 12 + png.readUInt32BE(PNG_SIGNATURE_BYTES);
  // keyword \0, compression flag and method, language tag \0, translated keyword \0, text
  const data = Buffer.concat([
    Buffer.from("XML:com.adobe.xmp\0\0\0\0\0", "latin1"),
    Buffer.from(xmp, "utf8"),
  ]);
  const typeAndData = Buffer.concat([Buffer.from("iTXt", "latin1"), data]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, ihdrEnd), 0);
  out.set(chunk, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.length);
  return out;
}

/** The settings inside an image file, or null for a file without ours. */
export async function readFileSettings(bytes: Uint8Array): Promise<FileSettings | null> {
  let xmp: Buffer | undefined;
  try {
    // Only the header is read, never the pixels: an image of any size costs the same.
    ({ xmp } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    throw new AppError("unsupported_media", "That file is not a PNG, JPEG or WebP image we can read.");
  }
  return xmp ? parseSettingsXmp(xmp.toString("utf8")) : null;
}
