import "server-only";

import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

import { assertValidStorageKey, assertValidStoragePrefix } from "./keys";
import type { MediaStorage } from "./types";

export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** For S3-compatible services (MinIO, R2, ...); unset for AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Both or neither; neither uses the SDK's default credential chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

// DeleteObjects accepts at most this many keys per call.
const DELETE_BATCH = 1000;
const FALLBACK_CONTENT_TYPE = "application/octet-stream";

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

export function createS3Storage(config: S3StorageConfig): MediaStorage {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle ?? false,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    // Many S3-compatible services reject the SDK's default CRC checksums on every request.
    requestChecksumCalculation: config.endpoint ? "WHEN_REQUIRED" : "WHEN_SUPPORTED",
    responseChecksumValidation: config.endpoint ? "WHEN_REQUIRED" : "WHEN_SUPPORTED",
  });
  const Bucket = config.bucket;

  async function getObject(key: string) {
    assertValidStorageKey(key);
    try {
      return await client.send(new GetObjectCommand({ Bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async function* list(prefix: string) {
    assertValidStoragePrefix(prefix);
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken, MaxKeys: DELETE_BATCH }),
      );
      const objects = (page.Contents ?? []).flatMap((o) =>
        o.Key ? [{ key: o.Key, lastModified: o.LastModified ?? new Date(0) }] : [],
      );
      if (objects.length > 0) yield objects;
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async function deleteKeys(keys: string[]) {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const result = await client.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`S3 refused to delete ${failed.length} object(s): ${failed[0]?.Code ?? "unknown"}.`);
      }
    }
  }

  return {
    kind: "s3",
    list,

    async put(key, body, contentType) {
      assertValidStorageKey(key);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentLength: body.length,
        }),
      );
    },

    async get(key) {
      const object = await getObject(key);
      if (!object?.Body) return null;
      const body = Buffer.from(await object.Body.transformToByteArray());
      return { body, contentType: object.ContentType ?? FALLBACK_CONTENT_TYPE, bytes: body.length };
    },

    async getStream(key) {
      const object = await getObject(key);
      if (!object?.Body) return null;
      return {
        stream: object.Body.transformToWebStream() as ReadableStream<Uint8Array>,
        contentType: object.ContentType ?? FALLBACK_CONTENT_TYPE,
        bytes: object.ContentLength ?? 0,
      };
    },

    async delete(keys) {
      keys.forEach(assertValidStorageKey);
      await deleteKeys(keys);
    },

    async deletePrefix(prefix) {
      // Page by page: each listed page (at most 1,000 keys) is one DeleteObjects call.
      for await (const page of list(prefix)) await deleteKeys(page.map((o) => o.key));
    },

    async exists(key) {
      assertValidStorageKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
  };
}
