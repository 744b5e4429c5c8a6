import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";

// s3rver ships no types; this is the part of it the test uses.
type S3rverInstance = { run(): Promise<{ port: number }>; close(): Promise<void> };
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass;

export interface LocalBucket {
  /** The app's S3_* variables for this bucket. */
  env: {
    S3_BUCKET: string;
    S3_REGION: string;
    S3_ENDPOINT: string;
    S3_ACCESS_KEY_ID: string;
    S3_SECRET_ACCESS_KEY: string;
    S3_FORCE_PATH_STYLE: "true";
  };
  exists(key: string): Promise<boolean>;
  /**
   * Objects on disk, counted from s3rver's folder: its listing fails on an object whose upload was
   * cut off (it writes the bytes before their metadata, where S3 itself is atomic), which is just
   * what a SIGKILLed instance leaves behind.
   */
  objectCount(): Promise<number>;
  /**
   * Removes objects whose upload was cut off (bytes without metadata), which S3 would never have
   * made visible and which break s3rver's listing; returns how many there were.
   */
  discardUnfinishedUploads(): Promise<number>;
  close(): Promise<void>;
}

/** One bucket on an s3rver of this test's own, on a free local port. */
export async function startLocalBucket(bucket: string): Promise<LocalBucket> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "reve-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed development credentials.
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials });
  return {
    env: {
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
          return false;
        }
        throw error;
      }
    },
    async objectCount() {
      const files = await readdir(path.join(directory, bucket), { recursive: true });
      return files.filter((file) => file.endsWith("._S3rver_object")).length;
    },
    async discardUnfinishedUploads() {
      const root = path.join(directory, bucket);
      const files = new Set(await readdir(root, { recursive: true }));
      const unfinished = [...files].filter(
        (file) =>
          file.endsWith("._S3rver_object") &&
          !files.has(file.replace(/\._S3rver_object$/, "._S3rver_metadata.json")),
      );
      for (const file of unfinished) {
        await rm(path.join(root, file), { force: true });
        await rm(path.join(root, `${file}.md5`), { force: true });
      }
      return unfinished.length;
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
