import "server-only";

import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

import { assertValidStorageKey, assertValidStoragePrefix, isValidStorageKey } from "./keys";
import type { ListedObject, MediaStorage, StoredObject, StoredStream } from "./types";

const CONTENT_TYPE_BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  avif: "image/avif",
  json: "application/json",
  txt: "text/plain",
};
const FALLBACK_CONTENT_TYPE = "application/octet-stream";
const LIST_PAGE = 1000;

/** The content type a key is served with on disk; the extension is the only record of it. */
export function contentTypeForKey(key: string): string {
  const ext = path.extname(key).slice(1).toLowerCase();
  return CONTENT_TYPE_BY_EXTENSION[ext] ?? FALLBACK_CONTENT_TYPE;
}

function baseType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Files under `<dataDir>/media/<key>`. */
export function createLocalStorage(dataDir: string): MediaStorage {
  const root = path.resolve(dataDir, "media");
  // Inside the root so rename stays on one filesystem; key segments may not start with a dot, so no
  // key can name it.
  const tmpDir = path.join(root, ".tmp");

  function fileFor(key: string): string {
    assertValidStorageKey(key);
    const file = path.resolve(root, key);
    if (!file.startsWith(root + path.sep)) throw new Error("Invalid storage key.");
    return file;
  }

  async function writeAtomically(file: string, body: Buffer): Promise<void> {
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const handle = await open(tmp, "wx");
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // A concurrent delete may remove the (then empty) folder between mkdir and rename.
      for (let attempt = 1; ; attempt++) {
        await mkdir(path.dirname(file), { recursive: true });
        try {
          await rename(tmp, file);
          return;
        } catch (error) {
          if (!isMissing(error) || attempt >= 3) throw error;
        }
      }
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** Removes folders left empty by a delete, up to the root; stops at the first one still in use. */
  async function pruneEmptyParents(file: string): Promise<void> {
    let dir = path.dirname(file);
    while (dir.startsWith(root + path.sep)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }

  function folderFor(prefix: string): string {
    assertValidStoragePrefix(prefix);
    return fileFor(prefix.slice(0, -1));
  }

  return {
    kind: "local",

    async put(key, body, contentType) {
      const file = fileFor(key);
      if (baseType(contentType) !== contentTypeForKey(key)) {
        throw new Error(`Local storage serves "${key}" as ${contentTypeForKey(key)}, not ${contentType}.`);
      }
      await writeAtomically(file, body);
    },

    async get(key): Promise<StoredObject | null> {
      const file = fileFor(key);
      try {
        const body = await readFile(file);
        return { body, contentType: contentTypeForKey(key), bytes: body.length };
      } catch (error) {
        if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return null;
        throw error;
      }
    },

    async getStream(key): Promise<StoredStream | null> {
      const file = fileFor(key);
      let handle;
      try {
        handle = await open(file, "r");
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return null;
      }
      const stream = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
      return { stream, contentType: contentTypeForKey(key), bytes: info.size };
    },

    async delete(keys) {
      const files = keys.map(fileFor);
      for (const file of files) {
        await rm(file, { force: true });
        await pruneEmptyParents(file);
      }
    },

    async *list(prefix) {
      const folder = folderFor(prefix);
      let entries: string[];
      try {
        entries = await readdir(folder, { recursive: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      let page: ListedObject[] = [];
      for (const entry of entries) {
        const key = `${prefix}${entry.split(path.sep).join("/")}`;
        if (!isValidStorageKey(key)) continue;
        const info = await stat(path.join(folder, entry)).catch(() => null);
        if (!info?.isFile()) continue;
        page.push({ key, lastModified: info.mtime });
        if (page.length >= LIST_PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },

    async deletePrefix(prefix) {
      const folder = folderFor(prefix);
      await rm(folder, { recursive: true, force: true });
      await pruneEmptyParents(folder);
    },

    async exists(key) {
      const file = fileFor(key);
      try {
        return (await stat(file)).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
