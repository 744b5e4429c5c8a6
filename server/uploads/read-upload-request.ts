import "server-only";

import { AppError } from "@/server/errors";

import { uploadTooLarge } from "./create-upload";

// Room for the multipart boundaries and part headers around the file itself.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const notMultipart = () =>
  new AppError("invalid_input", "Send the image as multipart/form-data in a field named “file”.");

/**
 * The bytes of the `file` field of a multipart upload. Refuses an oversized body from its
 * Content-Length before reading it, and stops reading a body without one as soon as it passes the
 * limit, so a large upload never sits in memory whole.
 */
export async function readUploadedFile(request: Request, maxBytes: number): Promise<Buffer> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) throw notMultipart();
  const limit = maxBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw uploadTooLarge(maxBytes);

  const body = await readAtMost(request, limit, maxBytes);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw notMultipart();
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("invalid_input", "Choose an image to upload.");
  if (file.size > maxBytes) throw uploadTooLarge(maxBytes);
  if (file.size === 0) throw new AppError("invalid_input", "The file is empty.");
  return Buffer.from(await file.arrayBuffer());
}

async function readAtMost(
  request: Request,
  limit: number,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw uploadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
