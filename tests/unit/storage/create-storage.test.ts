import { describe, expect, it } from "vitest";

import { createStorage, type StorageEnv } from "@/server/storage/create-storage";

const base: StorageEnv = {
  DATA_DIR: "./data-test-unused",
  S3_BUCKET: undefined,
  S3_REGION: "us-east-1",
  S3_ENDPOINT: undefined,
  S3_ACCESS_KEY_ID: undefined,
  S3_SECRET_ACCESS_KEY: undefined,
  S3_FORCE_PATH_STYLE: false,
};

describe("createStorage", () => {
  it("uses local disk without a bucket", () => {
    expect(createStorage(base).kind).toBe("local");
  });

  it("uses S3 when a bucket is set", () => {
    expect(createStorage({ ...base, S3_BUCKET: "media", S3_ENDPOINT: "http://127.0.0.1:9" }).kind).toBe("s3");
  });
});
