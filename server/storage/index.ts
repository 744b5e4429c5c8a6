import "server-only";

import { env } from "@/server/env";

import { createStorage } from "./create-storage";
import type { MediaStorage } from "./types";

export { createStorage, type StorageEnv } from "./create-storage";
export { assetKeys, isValidStorageKey, ASSET_EXTENSIONS, type AssetExtension } from "./keys";
export { createLocalStorage } from "./local";
export { createS3Storage, type S3StorageConfig } from "./s3";
export type { MediaStorage, StoredObject, StoredStream } from "./types";

// Kept on globalThis so dev-mode module reloads reuse one S3 client instead of piling them up.
const globalForStorage = globalThis as typeof globalThis & { reveMediaStorage?: MediaStorage };

/** The process-wide storage built from the environment, created on first use. */
export function getStorage(): MediaStorage {
  globalForStorage.reveMediaStorage ??= createStorage(env);
  return globalForStorage.reveMediaStorage;
}
