import "server-only";

import { AppError } from "@/server/errors";
import { readBody } from "@/server/read-body";

import { uploadTooLarge } from "./create-upload";

// Room for the multipart boundaries and part headers around the file itself.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const notMultipart = () =>
  new AppError("invalid_input", "Send the image as multipart/form-data in a field named “file”.");

/**
 * The bytes of the `file` field of a multipart upload. The body is read under a hard cap
 * (`server/read-body.ts`), so a large upload never sits in memory whole.
 */
export async function readUploadedFile(request: Request, maxBytes: number): Promise<Buffer> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) throw notMultipart();
  const limit = maxBytes + MULTIPART_OVERHEAD_BYTES;
  const body = await readBody(request, { maxBytes: limit, tooLarge: () => uploadTooLarge(maxBytes) });
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
