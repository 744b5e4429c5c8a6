import { inspectImage } from "./images";

// Input images (edit source, remix references) fetched from the URLs the studio signs, as a
// reseller would. Error texts name the input by position only: signed URLs carry credentials.

export const MAX_INPUT_BYTES = 30 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export class InputError extends Error {}

async function readCapped(body: ReadableStream<Uint8Array>, label: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_INPUT_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new InputError(`${label} is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Downloads one input and checks that it is an image; throws InputError with a safe message. */
export async function fetchInput(url: string, label: string, signal: AbortSignal): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) });
  } catch {
    throw new InputError(`${label} could not be fetched`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new InputError(`${label} could not be fetched (HTTP ${response.status})`);
  }
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_INPUT_BYTES) {
    await response.body.cancel().catch(() => undefined);
    throw new InputError(`${label} is larger than ${MAX_INPUT_BYTES} bytes`);
  }
  let data: Buffer;
  try {
    data = await readCapped(response.body, label);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${label} could not be fetched`);
  }
  try {
    await inspectImage(data);
  } catch {
    throw new InputError(`${label} is not an image`);
  }
  return data;
}
