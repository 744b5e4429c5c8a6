import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("getStorage", () => {
  it("builds one storage per process from the environment", async () => {
    vi.stubEnv("AUTH_SECRET", "x".repeat(32));
    vi.stubEnv("MEDIA_SIGNING_SECRET", "y".repeat(32));
    vi.stubEnv("S3_BUCKET", "");
    const { getStorage } = await import("@/server/storage");

    const storage = getStorage();

    expect(storage.kind).toBe("local");
    expect(getStorage()).toBe(storage);
  });
});
