import "server-only";

import { Zip, ZipDeflate, ZipPassThrough } from "fflate";

export interface ZipEntry {
  name: string;
  mtime: Date;
  /** Deflate text; images are already compressed and are stored as they are. */
  compress: boolean;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * A ZIP built while it is read: each pull advances the entries by one chunk, so memory holds about
 * one chunk however large the archive. No ZIP64 support: callers keep totals under 4 GiB.
 */
export function zipStream(entries: AsyncIterable<ZipEntry>): ReadableStream<Uint8Array> {
  const chunks = zipChunks(entries);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

async function* zipChunks(entries: AsyncIterable<ZipEntry>): AsyncGenerator<Uint8Array, void, undefined> {
  const ready: Uint8Array[] = [];
  const state: { error: Error | null } = { error: null };
  const zip = new Zip((error, chunk) => {
    if (error) state.error = error;
    else if (chunk.length > 0) ready.push(chunk);
  });
  function* drain() {
    if (state.error) throw state.error;
    while (ready.length > 0) yield ready.shift() as Uint8Array;
  }

  for await (const entry of entries) {
    const file = entry.compress ? new ZipDeflate(entry.name, { level: 6 }) : new ZipPassThrough(entry.name);
    file.mtime = entry.mtime;
    zip.add(file);
    yield* drain();
    for await (const chunk of entry.chunks) {
      file.push(chunk);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}

/** A web stream as an async iterable that releases the stream when the reader stops early. */
export async function* readChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
