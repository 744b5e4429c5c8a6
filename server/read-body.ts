import "server-only";

import { AppError } from "@/server/errors";

// The one way a route reads a request body: never more than a hard cap, whatever the client
// declares. A Content-Length over the cap is refused before a byte is read; a body without one
// (chunked) is read chunk by chunk and cancelled the moment it passes the cap, so at most the cap
// plus one chunk ever sits in memory.

export interface ReadBodyOptions {
  /** The most bytes the route accepts. */
  maxBytes: number;
  /** The error for a body over the cap (a 413 `payload_too_large`). */
  tooLarge?: () => AppError;
}

const defaultTooLarge = () => new AppError("payload_too_large", "The request body is too large.");

/** The request's body, at most `maxBytes` of it; throws `tooLarge()` for anything longer. */
export async function readBody(
  request: Request,
  { maxBytes, tooLarge = defaultTooLarge }: ReadBodyOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    discardBody(request);
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
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

/** The body as UTF-8 text, under the same cap. */
export async function readBodyText(request: Request, options: ReadBodyOptions): Promise<string> {
  return new TextDecoder().decode(await readBody(request, options));
}

/**
 * Stops a body nobody will read: a route that answers before reading (a refused token, a spent
 * limit) must not leave the client streaming into the server.
 */
export function discardBody(request: Request): void {
  if (request.body && !request.bodyUsed && !request.body.locked) {
    request.body.cancel().catch(() => undefined);
  }
}
