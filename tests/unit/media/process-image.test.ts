import sharp from "sharp";
import { thumbHashToDataURL, thumbHashToRGBA } from "thumbhash";
import { describe, expect, it } from "vitest";

import { AppError } from "@/server/errors";
import { processImage } from "@/server/media/process-image";
import { sniffImageType } from "@/server/media/sniff-image";

import { pngBomb } from "../../fixtures/images";

const limits = { maxBytes: 5 * 1024 * 1024, maxPixels: 25_000_000 };

function solid(width: number, height: number, background = "#3366cc") {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** Left half red, right half blue, so a rotation shows where the left edge went. */
async function twoTone(width: number, height: number) {
  const half = await sharp({
    create: { width: width / 2, height, channels: 3, background: "#ff0000" },
  })
    .png()
    .toBuffer();
  return solid(width, height, "#0000ff").composite([{ input: half, left: 0, top: 0 }]);
}

async function expectAppError(promise: Promise<unknown>, code: string, message: string | RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe("sniffImageType", () => {
  it("reads the format from the bytes", async () => {
    expect(sniffImageType(await solid(4, 4).jpeg().toBuffer())).toBe("image/jpeg");
    expect(sniffImageType(await solid(4, 4).png().toBuffer())).toBe("image/png");
    expect(sniffImageType(await solid(4, 4).webp().toBuffer())).toBe("image/webp");
    expect(sniffImageType(await solid(4, 4).gif().toBuffer())).toBeNull();
    expect(sniffImageType(Buffer.from("RIFF\0\0\0\0WAVEfmt "))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});

describe("processImage", () => {
  it("turns a JPEG upright and strips its metadata", async () => {
    // Stored 80×40 with orientation 6: a viewer shows it rotated 90° clockwise, 40×80.
    const input = await (
      await twoTone(80, 40)
    )
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Artist: "Someone", Copyright: "Private" } })
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const out = await processImage(input, limits);

    expect(out).toMatchObject({ mime: "image/jpeg", ext: "jpg", width: 40, height: 80 });
    expect(out.bytes).toBe(out.original.length);
    const meta = await sharp(out.original).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 40, height: 80 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(out.original.includes(Buffer.from("Someone"))).toBe(false);

    // The original's left (red) edge is now on top.
    const { data } = await sharp(out.original).raw().toBuffer({ resolveWithObject: true });
    const top = [data[(5 * 40 + 20) * 3], data[(5 * 40 + 20) * 3 + 2]];
    const bottom = [data[(75 * 40 + 20) * 3], data[(75 * 40 + 20) * 3 + 2]];
    expect(top[0]).toBeGreaterThan(200);
    expect(top[1]).toBeLessThan(60);
    expect(bottom[0]).toBeLessThan(60);
    expect(bottom[1]).toBeGreaterThan(200);
  });

  it("keeps PNG as PNG with its transparency", async () => {
    const input = await sharp({
      create: { width: 300, height: 200, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } },
    })
      .png()
      .toBuffer();

    const out = await processImage(input, limits);

    expect(out).toMatchObject({ mime: "image/png", ext: "png", width: 300, height: 200 });
    const meta = await sharp(out.original).metadata();
    expect(meta.format).toBe("png");
    expect(meta.hasAlpha).toBe(true);
  });

  it("keeps WebP as WebP", async () => {
    const input = await solid(120, 90).webp().toBuffer();
    const out = await processImage(input, limits);
    expect(out).toMatchObject({ mime: "image/webp", ext: "webp", width: 120, height: 90 });
    expect((await sharp(out.original).metadata()).format).toBe("webp");
  });

  it("makes a WebP thumbnail within 512px, a decodable thumbhash and the sha256 of what is stored", async () => {
    const input = await (await twoTone(2000, 1000)).jpeg().toBuffer();

    const out = await processImage(input, limits);

    expect({ w: out.thumbWidth, h: out.thumbHeight }).toEqual({ w: 512, h: 256 });
    expect(await sharp(out.thumb).metadata()).toMatchObject({ format: "webp", width: 512, height: 256 });

    const hash = Buffer.from(out.thumbhash, "base64");
    expect(hash.toString("base64")).toBe(out.thumbhash);
    const placeholder = thumbHashToRGBA(hash);
    expect(placeholder.w / placeholder.h).toBeGreaterThan(1.5);
    expect(thumbHashToDataURL(hash)).toMatch(/^data:image\/png;base64,/);

    const { createHash } = await import("node:crypto");
    expect(out.sha256).toBe(createHash("sha256").update(out.original).digest("hex"));
  });

  it("does not enlarge small images for the thumbnail", async () => {
    const out = await processImage(await solid(64, 48).png().toBuffer(), limits);
    expect({ w: out.thumbWidth, h: out.thumbHeight }).toEqual({ w: 64, h: 48 });
  });

  it("refuses anything that is not a JPEG, PNG or WebP, whatever it is called", async () => {
    const unsupported = "Only JPEG, PNG or WebP images are accepted.";
    const text = Buffer.from("this is a text file named picture.png\n");
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>');
    const gif = await solid(10, 10).gif().toBuffer();
    const tiff = await solid(10, 10).tiff().toBuffer();

    for (const input of [text, svg, gif, tiff, Buffer.alloc(0)]) {
      await expectAppError(processImage(input, limits), "unsupported_media", unsupported);
    }
  });

  it("refuses a buffer over the byte limit, naming the limit", async () => {
    const input = await solid(64, 64).png().toBuffer();
    await expectAppError(
      processImage(input, { ...limits, maxBytes: 100 }),
      "payload_too_large",
      "The image is larger than the 0.1 KB limit.",
    );
    await expectAppError(
      processImage(Buffer.alloc(21 * 1024 * 1024, 0xff), { ...limits, maxBytes: 20 * 1024 * 1024 }),
      "payload_too_large",
      "The image is larger than the 20 MB limit.",
    );
    await expectAppError(
      processImage(Buffer.alloc(1536 * 1024 + 1), { ...limits, maxBytes: 1536 * 1024 }),
      "payload_too_large",
      "The image is larger than the 1.5 MB limit.",
    );
  });

  it("refuses a 20000×20000 PNG from its header, before decoding it", async () => {
    const bomb = pngBomb(20_000, 20_000, 200);
    expect(bomb.length).toBeLessThan(100_000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({
      width: 20_000,
      height: 20_000,
    });

    await expectAppError(
      processImage(bomb, { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 }),
      "payload_too_large",
      "The image has too many pixels: at most 50 megapixels.",
    );
  });

  it("refuses an image just over the pixel limit and takes one at the limit", async () => {
    const input = await solid(1000, 1000).png().toBuffer();
    await expectAppError(
      processImage(input, { ...limits, maxPixels: 999_999 }),
      "payload_too_large",
      /pixels/,
    );
    await expect(processImage(input, { ...limits, maxPixels: 1_000_000 })).resolves.toMatchObject({
      width: 1000,
    });
  });

  it("refuses truncated or corrupt images", async () => {
    const damaged = "The image file is damaged or incomplete.";
    const jpeg = await (await twoTone(400, 300)).jpeg().toBuffer();
    const png = await (await twoTone(400, 300)).png().toBuffer();
    const webp = await (await twoTone(400, 300)).webp().toBuffer();

    for (const input of [
      jpeg.subarray(0, Math.floor(jpeg.length * 0.7)),
      png.subarray(0, Math.floor(png.length * 0.7)),
      webp.subarray(0, Math.floor(webp.length * 0.7)),
      Buffer.concat([jpeg.subarray(0, 3), Buffer.alloc(200, 0x41)]),
    ]) {
      await expectAppError(processImage(input, limits), "invalid_input", damaged);
    }
  });
});
