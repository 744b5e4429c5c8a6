import sharp from "sharp";
import { describe, expect, it } from "vitest";

import type { FileSettings } from "@/lib/file-settings";
import {
  embedSettings,
  parseSettingsXmp,
  readFileSettings,
  SETTINGS_NAMESPACE,
  settingsXmp,
} from "@/server/media/file-settings";

import { sampleImage } from "../../fixtures/images";

const settings: FileSettings = {
  prompt: 'A "lighthouse" <at> dawn & fog,\nfilm photo\tgrain, café 灯台 🌊',
  negativePrompt: "text, watermark",
  aspectRatio: "16:9",
  seed: 2_147_483_647,
  provider: "reve2img",
  operation: "create",
  studioUrl: "https://studio.example/gallery/abc",
};

const MIME = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" } as const;

/** The XMP a file holds where each format keeps it, read from the bytes without sharp. */
function xmpInBytes(format: keyof typeof MIME, bytes: Uint8Array): string | null {
  const buffer = Buffer.from(bytes);
  if (format === "png") {
    // PNG chunks: length, type, data, CRC. libvips writes XMP as iTXt "XML:com.adobe.xmp".
    for (let at = 8; at < buffer.length;) {
      const length = buffer.readUInt32BE(at);
      const type = buffer.toString("latin1", at + 4, at + 8);
      const data = buffer.subarray(at + 8, at + 8 + length);
      if (type === "iTXt" && data.toString("latin1", 0, 18) === "XML:com.adobe.xmp\0") {
        const compressed = data[18] === 1;
        // keyword\0, compression flag, method, language\0, translated keyword\0, text
        let rest = data.subarray(20);
        rest = rest.subarray(rest.indexOf(0) + 1);
        rest = rest.subarray(rest.indexOf(0) + 1);
        return compressed ? null : rest.toString("utf8");
      }
      at += 12 + length;
    }
    return null;
  }
  const text = buffer.toString("latin1");
  const marker = format === "jpeg" ? "http://ns.adobe.com/xap/1.0/\0" : "XMP ";
  const at = text.indexOf(marker);
  if (at < 0) return null;
  const start = text.indexOf("<?xpacket", at);
  const end = text.indexOf("<?xpacket end", start);
  return buffer.toString("utf8", start, text.indexOf("?>", end) + 2);
}

describe("settings inside the file", () => {
  it.each(["png", "jpeg", "webp"] as const)("writes and reads back every field in a %s", async (format) => {
    const original = await sampleImage(format, 64, 40);
    const out = await embedSettings(original, MIME[format], settings);

    const meta = await sharp(out).metadata();
    expect(meta.format).toBe(format);
    expect([meta.width, meta.height]).toEqual([64, 40]);
    const raw = xmpInBytes(format, out);
    expect(raw).toContain(`xmlns:reve="${SETTINGS_NAMESPACE}"`);
    expect(raw).toContain('<rdf:li xml:lang="x-default">A &quot;lighthouse&quot; &lt;at&gt; dawn &amp; fog,');
    expect(parseSettingsXmp(raw!)).toEqual(settings);
    expect(await readFileSettings(out)).toEqual(settings);
  });

  it("keeps a PNG's pixels exactly and its chunks valid", async () => {
    const original = await sampleImage("png", 64, 40);
    const out = await embedSettings(original, "image/png", settings);
    const pixels = (input: Uint8Array) => sharp(input).raw().toBuffer();
    expect((await pixels(out)).equals(await pixels(original))).toBe(true);
    // libpng checks every chunk's CRC while decoding; a broken iTXt would fail here.
    await expect(sharp(out, { failOn: "warning" }).raw().toBuffer()).resolves.toBeInstanceOf(Buffer);
  });

  it("omits what a job did not have and reads it back as null", async () => {
    const bare: FileSettings = {
      ...settings,
      negativePrompt: null,
      aspectRatio: null,
      seed: null,
      provider: null,
      studioUrl: null,
      operation: "edit",
    };
    const xmp = settingsXmp(bare);
    expect(xmp).not.toContain("reve:seed");
    expect(
      await readFileSettings(await embedSettings(await sampleImage("png", 8, 8), "image/png", bare)),
    ).toEqual(bare);
  });

  it("finds nothing in an image from elsewhere, with or without XMP of its own", async () => {
    expect(await readFileSettings(await sampleImage("jpeg", 16, 16))).toBeNull();
    const foreign =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>a cat</dc:description>' +
      "</rdf:Description></rdf:RDF></x:xmpmeta>";
    const tagged = await sharp(await sampleImage("png", 16, 16))
      .withXmp(foreign)
      .png()
      .toBuffer();
    expect(await readFileSettings(tagged)).toBeNull();
  });

  it("trusts nothing it reads: out-of-range, unknown or repeated fields refuse the whole record", () => {
    const good = settingsXmp(settings);
    expect(parseSettingsXmp(good)).toEqual(settings);
    const tampered = [
      good.replace('reve:aspectRatio="16:9"', 'reve:aspectRatio="5:1"'),
      good.replace('reve:provider="reve2img"', 'reve:provider="elsewhere"'),
      good.replace('reve:operation="create"', 'reve:operation="upscale"'),
      good.replace('reve:seed="2147483647"', 'reve:seed="2147483648"'),
      good.replace('reve:seed="2147483647"', 'reve:seed="-1"'),
      good.replace('reve:seed="2147483647"', 'reve:seed="1e3"'),
      good.replace(/reve:studioUrl="[^"]*"/, 'reve:studioUrl="javascript:alert(1)"'),
      good.replace(/reve:prompt="[^"]*"/, `reve:prompt="${"x".repeat(2561)}"`),
      good.replace(/reve:prompt="[^"]*"/, 'reve:prompt=""'),
      good.replace(/reve:prompt="[^"]*"/, 'reve:prompt="&bogus;"'),
      good.replace(/reve:prompt="[^"]*"/, 'reve:prompt="&#1114112;"'),
      good.replace('reve:seed="2147483647"', 'reve:seed="1" reve:seed="2"'),
      good.replace('reve:seed="2147483647"', 'reve:seed="1" reve:admin="true"'),
      good.replace(/ reve:operation="create"/, ""),
      good.replace(`xmlns:reve="${SETTINGS_NAMESPACE}"`, 'xmlns:reve="https://elsewhere.example/ns/"'),
      good + " ".repeat(70_000),
    ];
    for (const xmp of tampered) expect(parseSettingsXmp(xmp)).toBeNull();
  });

  it("drops control characters XML cannot carry rather than writing a broken packet", async () => {
    const out = await embedSettings(await sampleImage("webp", 8, 8), "image/webp", {
      ...settings,
      prompt: "bell\u0007 and null\u0000 gone",
    });
    expect((await readFileSettings(out))?.prompt).toBe("bell and null gone");
  });

  it("refuses bytes that are no image with a clear error", async () => {
    await expect(readFileSettings(new TextEncoder().encode("not an image at all"))).rejects.toMatchObject({
      code: "unsupported_media",
    });
  });
});
