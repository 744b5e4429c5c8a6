import "server-only";

import { isId } from "@/lib/ids";

const KEY_PATTERN = /^[A-Za-z0-9_.\-/]+$/;
const KEY_MAX_LENGTH = 512;

export const ASSET_EXTENSIONS = ["jpg", "png", "webp"] as const;
export type AssetExtension = (typeof ASSET_EXTENSIONS)[number];

/**
 * Refuses anything that could leave the media root or mean different files on different backends:
 * absolute paths, empty, `.` or `..` segments, hidden names, and characters outside a safe set.
 */
export function isValidStorageKey(key: string): boolean {
  if (key.length === 0 || key.length > KEY_MAX_LENGTH || !KEY_PATTERN.test(key)) return false;
  return key.split("/").every((segment) => segment.length > 0 && !segment.startsWith("."));
}

export function assertValidStorageKey(key: string): void {
  if (!isValidStorageKey(key)) throw new Error("Invalid storage key.");
}

/** A folder of keys: a valid key followed by "/". */
export function assertValidStoragePrefix(prefix: string): void {
  if (!prefix.endsWith("/") || !isValidStorageKey(prefix.slice(0, -1))) {
    throw new Error("Invalid storage prefix.");
  }
}

/** The folder holding every file of one user. */
export function userPrefix(userId: string): string {
  if (!isId(userId)) throw new Error("Invalid user id.");
  return `users/${userId}/`;
}

/** Where an asset's files go; the values are what the Asset row stores as storageKey and thumbKey. */
export function assetKeys(
  userId: string,
  assetId: string,
  ext: AssetExtension,
): { storageKey: string; thumbKey: string } {
  if (!isId(userId) || !isId(assetId) || !ASSET_EXTENSIONS.includes(ext)) {
    throw new Error("Invalid asset key parts.");
  }
  const base = `users/${userId}/${assetId}`;
  return { storageKey: `${base}/original.${ext}`, thumbKey: `${base}/thumb.webp` };
}
