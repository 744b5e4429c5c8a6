import "server-only";

export interface StoredObject {
  body: Buffer;
  contentType: string;
  bytes: number;
}

export interface StoredStream {
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  bytes: number;
}

export interface ListedObject {
  key: string;
  lastModified: Date;
}

/** Where image bytes live: local disk for the embedded studio, S3 (or compatible) when configured. */
export interface MediaStorage {
  readonly kind: "local" | "s3";
  /** Writes the whole object; a reader never sees a partial file. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The whole object in memory, or null when the key does not exist. */
  get(key: string): Promise<StoredObject | null>;
  /** The object as a web stream for a Response, or null when the key does not exist. */
  getStream(key: string): Promise<StoredStream | null>;
  /** Removes the keys; keys that do not exist are ignored. */
  delete(keys: string[]): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every object under `prefix` (a folder: it ends in "/"), in pages, with when it was written. */
  list(prefix: string): AsyncIterable<ListedObject[]>;
  /** Removes every object under `prefix` (a folder: it ends in "/"). */
  deletePrefix(prefix: string): Promise<void>;
}
