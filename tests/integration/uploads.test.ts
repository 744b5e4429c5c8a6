import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as UploadRouteModule from "@/app/api/uploads/route";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { jpegWithExif, pngBomb, sampleImage, truncatedJpeg } from "../fixtures/images";
import { loadStudio, storedFilesOf } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

function uploadRequest(bytes: Uint8Array, name: string, type: string): Request {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return new Request("http://localhost/api/uploads", { method: "POST", body: form });
}

/** A body that produces `total` bytes in 1 MB chunks only as it is read, and counts what was read. */
function lazyBody(total: number) {
  const chunk = new Uint8Array(1024 * 1024);
  const state = { sent: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.sent >= total) return controller.close();
      state.sent += chunk.length;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe.each(DB_KINDS)("POST /api/uploads on %s", (kind) => {
  let t: TestDb;
  let route: typeof UploadRouteModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    route = await import("@/app/api/uploads/route");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  async function expectRefused(response: Response, status: number, code: string, message: RegExp) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
  }

  async function expectNothingLeft(userId: string) {
    expect(await t.db.asset.count({ where: { userId } })).toBe(0);
    expect(await storedFilesOf(userId)).toEqual([]);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: userId } })).credits).toBe(50);
  }

  it.each([
    ["jpeg", "photo.jpg", "image/jpeg"],
    ["png", "drawing.png", "image/png"],
    ["webp", "still.webp", "image/webp"],
  ] as const)("stores a real %s with its thumbnail and answers 201", async (format, name, mime) => {
    const user = await makeUser(t.db);
    signInAs(user);
    const response = await route.POST(uploadRequest(await sampleImage(format, 900, 600), name, mime));
    expect(response.status).toBe(201);
    const { asset } = (await response.json()) as { asset: Record<string, unknown> };
    expect(asset).toMatchObject({
      url: `/api/media/${String(asset.id)}/original`,
      thumbUrl: `/api/media/${String(asset.id)}/thumb`,
      downloadUrl: `/api/media/${String(asset.id)}/original?download=1`,
      width: 900,
      height: 600,
      mime,
    });
    expect(JSON.stringify(asset)).not.toContain("users/");

    const row = await t.db.asset.findUniqueOrThrow({ where: { id: String(asset.id) } });
    expect(row).toMatchObject({ userId: user.id, kind: "upload", mime, width: 900, height: 600 });
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { getStorage } = await import("@/server/storage");
    const original = await getStorage().get(row.storageKey);
    const thumb = await getStorage().get(row.thumbKey!);
    expect(original?.bytes).toBe(row.bytes);
    expect((await sharp(thumb!.body).metadata()).format).toBe("webp");
    expect((await sharp(thumb!.body).metadata()).width).toBeLessThanOrEqual(512);
    expect((await storedFilesOf(user.id)).length).toBe(2);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).credits).toBe(50);
  });

  it("strips EXIF from an uploaded JPEG", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const input = await jpegWithExif();
    expect(input.includes("private-exif-marker")).toBe(true);
    const response = await route.POST(uploadRequest(input, "camera.jpg", "image/jpeg"));
    expect(response.status).toBe(201);
    const { asset } = (await response.json()) as { asset: { id: string } };
    const row = await t.db.asset.findUniqueOrThrow({ where: { id: asset.id } });
    const { getStorage } = await import("@/server/storage");
    const stored = (await getStorage().get(row.storageKey))!.body;
    expect(stored.includes("private-exif-marker")).toBe(false);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
  });

  it("refuses a text file named .png", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const text = new TextEncoder().encode("just some notes, not an image\n".repeat(20));
    await expectRefused(
      await route.POST(uploadRequest(text, "notes.png", "image/png")),
      415,
      "unsupported_media",
      /JPEG, PNG or WebP/,
    );
    await expectNothingLeft(user.id);
  });

  it("refuses an SVG", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    await expectRefused(
      await route.POST(uploadRequest(svg, "logo.svg", "image/svg+xml")),
      415,
      "unsupported_media",
      /JPEG, PNG or WebP/,
    );
    await expectNothingLeft(user.id);
  });

  it("refuses a 50 MB body by its Content-Length without reading it", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const { stream, state } = lazyBody(50 * 1024 * 1024);
    const request = new Request("http://localhost/api/uploads", {
      method: "POST",
      headers: {
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(50 * 1024 * 1024),
      },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectRefused(await route.POST(request), 413, "payload_too_large", /at most 20 MB/);
    expect(state.sent).toBeLessThanOrEqual(2 * 1024 * 1024);
    await expectNothingLeft(user.id);
  });

  it("refuses a 50 MB body without a Content-Length once it passes the limit", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const { stream, state } = lazyBody(50 * 1024 * 1024);
    const request = new Request("http://localhost/api/uploads", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    await expectRefused(await route.POST(request), 413, "payload_too_large", /at most 20 MB/);
    expect(state.sent).toBeLessThan(25 * 1024 * 1024);
    expect(state.cancelled).toBe(true);
    await expectNothingLeft(user.id);
  });

  it("refuses a file just over the limit by its real size", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const file = new Uint8Array(20 * 1024 * 1024 + 10);
    file.set(await sampleImage("png", 8, 8));
    await expectRefused(
      await route.POST(uploadRequest(file, "big.png", "image/png")),
      413,
      "payload_too_large",
      /at most 20 MB/,
    );
    await expectNothingLeft(user.id);
  });

  it("refuses a 20000×20000 PNG bomb before decoding it", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const bomb = pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectRefused(
      await route.POST(uploadRequest(bomb, "bomb.png", "image/png")),
      413,
      "payload_too_large",
      /too many pixels/,
    );
    await expectNothingLeft(user.id);
  });

  it("refuses a truncated JPEG", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    await expectRefused(
      await route.POST(uploadRequest(await truncatedJpeg(), "half.jpg", "image/jpeg")),
      400,
      "invalid_input",
      /damaged or incomplete/,
    );
    await expectNothingLeft(user.id);
  });

  it("refuses a request without a file or not multipart", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const empty = new FormData();
    empty.set("note", "hello");
    await expectRefused(
      await route.POST(new Request("http://localhost/api/uploads", { method: "POST", body: empty })),
      400,
      "invalid_input",
      /Choose an image/,
    );
    await expectRefused(
      await route.POST(
        new Request("http://localhost/api/uploads", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
      ),
      400,
      "invalid_input",
      /multipart\/form-data/,
    );
    await expectNothingLeft(user.id);
  });

  it("answers 401 to an anonymous upload and stores nothing", async () => {
    signOutAll();
    const before = await t.db.asset.count();
    const response = await route.POST(uploadRequest(await sampleImage("png", 8, 8), "a.png", "image/png"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect(await t.db.asset.count()).toBe(before);
  });

  it("removes the stored files when the Asset insert fails", async () => {
    const user = await makeUser(t.db);
    const { createUpload } = await import("@/server/uploads/create-upload");
    // A user id with no User row: the insert hits the foreign key after storage has the files.
    const ghost = `ghost${user.id}`;
    await expect(createUpload(ghost, await sampleImage("png", 32, 32))).rejects.toThrow();
    expect(await storedFilesOf(ghost)).toEqual([]);
    expect(await t.db.asset.count({ where: { userId: ghost } })).toBe(0);
  });

  it("limits a user to 30 uploads a minute", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const png = await sampleImage("png", 8, 8);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await route.POST(uploadRequest(png, "a.png", "image/png"))).status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    const last = await route.POST(uploadRequest(png, "a.png", "image/png"));
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await t.db.asset.count({ where: { userId: user.id } })).toBe(30);
  });
});
