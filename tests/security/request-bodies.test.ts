import { useAppDb } from "./support/app-db";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as WebhookRouteModule from "@/app/api/webhooks/[provider]/[generationId]/route";

import { makeUser } from "../helpers/app-db";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { installLifecycle, seedRunningGeneration } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

// A body is read under a hard cap while it streams, and a caller the route refuses from the URL
// alone (a forged webhook) is answered before a byte of it is read. Each body here is a stream
// this test controls: it counts the bytes the route pulls and sees whether the route cancelled it.

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
// SECURITY.md's figure; the test checks the code agrees.
const WEBHOOK_MAX_BYTES = 256 * 1024;

/** A body of `total` bytes made on demand, one 64 KB chunk per pull, nothing buffered ahead. */
function countingBody(total: number) {
  const chunk = new Uint8Array(CHUNK).fill(0x7b);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) return controller.close();
        state.pulled += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** A chunked request (no Content-Length) whose body is `stream`. */
const streamed = (url: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: stream,
    duplex: "half",
  } as RequestInit);

describe("request bodies", () => {
  let t: TestDb;
  let webhook: typeof WebhookRouteModule;
  let job: Awaited<ReturnType<typeof seedRunningGeneration>>;

  beforeAll(async () => {
    t = await createTestDb("pglite");
    useAppDb(t.db);
    installLifecycle(t.db);
    const user = await makeUser(t.db, 10);
    job = await seedRunningGeneration(t.db, user.id, { prompt: "hooked", providerJobId: "af-body" });
    webhook = await import("@/app/api/webhooks/[provider]/[generationId]/route");
    expect((await import("@/server/generations/webhook")).WEBHOOK_MAX_BYTES).toBe(WEBHOOK_MAX_BYTES);
  });
  afterAll(async () => {
    await t?.close();
  });

  const postWebhook = (token: string, stream: ReadableStream<Uint8Array>, headers?: Record<string, string>) =>
    webhook.POST(
      streamed(`http://localhost/api/webhooks/apiframe/${job.generation.id}?token=${token}`, stream, headers),
      { params: Promise.resolve({ provider: "apiframe", generationId: job.generation.id }) },
    );

  it("answers a forged webhook streaming 200 MB with 401 before 1 MB is read", async () => {
    const { stream, state } = countingBody(200 * MB);
    const response = await postWebhook("forged-token", stream);
    expect(response.status).toBe(401);
    expect(state.pulled).toBeLessThan(MB);
    expect(state.cancelled).toBe(true);
    console.info(`forged 200 MB webhook: 401 after ${state.pulled} bytes pulled, stream cancelled`);
  });

  it("answers a webhook with the right token but a 200 MB chunked body with 413 at the cap", async () => {
    const { stream, state } = countingBody(200 * MB);
    const response = await postWebhook(job.token, stream);
    expect(response.status).toBe(413);
    // Memory held for the body: never more than the cap plus the chunk that crossed it.
    expect(state.pulled).toBeLessThanOrEqual(WEBHOOK_MAX_BYTES + CHUNK);
    expect(state.cancelled).toBe(true);
    expect(await t.db.webhookEvent.count()).toBe(0);
    console.info(
      `200 MB webhook with a valid token: 413 after ${state.pulled} bytes pulled (cap ${WEBHOOK_MAX_BYTES})`,
    );
  });

  it("refuses a declared oversized webhook body without reading any of it", async () => {
    const { stream, state } = countingBody(200 * MB);
    const response = await postWebhook(job.token, stream, { "content-length": String(200 * MB) });
    expect(response.status).toBe(413);
    expect(state.pulled).toBe(0);
    expect(state.cancelled).toBe(true);
  });

  it("caps what Auth.js's endpoints read: a 200 MB chunked sign-in post gets 413 at 64 KB", async () => {
    const { AUTH_BODY_MAX_BYTES } = await import("@/server/auth/config");
    const auth = await import("@/app/api/auth/[...nextauth]/route");
    const { stream, state } = countingBody(200 * MB);
    const response = await auth.POST(
      streamed("http://localhost:3000/api/auth/callback/credentials", stream, {
        "content-type": "application/x-www-form-urlencoded",
      }),
    );
    expect(response.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(AUTH_BODY_MAX_BYTES + CHUNK);
    expect(state.cancelled).toBe(true);
  });

  it("cancels the body of any route that answers without reading it", async () => {
    const { signOutAll } = await import("../helpers/session-mock");
    signOutAll();
    const uploads = await import("@/app/api/uploads/route");
    const { stream, state } = countingBody(200 * MB);
    const response = await uploads.POST(
      streamed("http://localhost/api/uploads", stream, { "content-type": "multipart/form-data; boundary=x" }),
    );
    expect(response.status).toBe(401);
    expect(state.pulled).toBeLessThan(MB);
    expect(state.cancelled).toBe(true);
  });
});
