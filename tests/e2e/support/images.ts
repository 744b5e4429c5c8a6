import sharp from "sharp";

export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A small solid PNG, made on the spot: tests carry no binary fixtures. */
export async function pngFile(name: string, width = 96, height = 64, color = "#3b82f6"): Promise<UploadFile> {
  const buffer = await sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
  return { name, mimeType: "image/png", buffer };
}

/** Text dressed as a PNG: the server sniffs the bytes and refuses it. */
export const fakePng = (): UploadFile => ({
  name: "notes.png",
  mimeType: "image/png",
  buffer: Buffer.from("this is not an image at all"),
});
