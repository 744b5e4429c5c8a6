import { unzipSync } from "fflate";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as FileSettingsRouteModule from "@/app/api/file-settings/route";
import type * as MediaRouteModule from "@/app/api/media/[assetId]/[variant]/route";
import type * as ZipRouteModule from "@/app/api/generations/zip/route";
import type * as SetEmbedModule from "@/server/actions/set-embed-settings";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { sampleImage } from "../fixtures/images";
import { loadStudio, seedGeneration, storeAsset } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("settings inside downloaded files on %s", (kind) => {
  let t: TestDb;
  let media: typeof MediaRouteModule;
  let zip: typeof ZipRouteModule;
  let read: typeof FileSettingsRouteModule;
  let setEmbed: typeof SetEmbedModule;
  let appUrl: string;

  beforeAll(async () => {
    t = await loadStudio(kind);
    media = await import("@/app/api/media/[assetId]/[variant]/route");
    zip = await import("@/app/api/generations/zip/route");
    read = await import("@/app/api/file-settings/route");
    setEmbed = await import("@/server/actions/set-embed-settings");
    appUrl = (await import("@/server/env")).env.APP_URL;
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  const getMedia = (assetId: string, query = "") =>
    media.GET(new Request(`http://localhost/api/media/${assetId}/original${query}`), {
      params: Promise.resolve({ assetId, variant: "original" }),
    });
  const postZip = (ids: string[]) =>
    zip.POST(
      new Request("http://localhost/api/generations/zip", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ target: JSON.stringify({ ids }) }).toString(),
      }),
      { params: Promise.resolve({}) },
    );
  const postFile = (bytes: Uint8Array, name = "dropped.png") => {
    const body = new FormData();
    body.set("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), name);
    return read.POST(new Request("http://localhost/api/file-settings", { method: "POST", body }), {
      params: Promise.resolve({}),
    });
  };
  const storedBytes = async (key: string) =>
    (await (await import("@/server/storage")).getStorage().get(key))!.body;

  async function seeded() {
    const user = await makeUser(t.db);
    const job = await seedGeneration(t.db, user.id, { prompt: 'a lighthouse at dusk, "soft" fog' });
    await t.db.generation.update({
      where: { id: job.generation.id },
      data: { negativePrompt: "text", aspectRatio: "3:2", seed: 1234 },
    });
    const expected = {
      prompt: 'a lighthouse at dusk, "soft" fog',
      negativePrompt: "text",
      aspectRatio: "3:2",
      seed: 1234,
      provider: "reveart",
      operation: "create",
      studioUrl: new URL(`/gallery/${job.generation.id}`, appUrl).toString(),
    };
    return { user, job, output: job.outputs[0]!, expected };
  }

  it("a downloaded original carries its settings; the same image viewed inline is the stored file", async () => {
    const { user, output, expected } = await seeded();
    signInAs(user);

    const download = await getMedia(output.id, "?download=1");
    expect(download.status).toBe(200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(download.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(download.headers.get("etag")).toBe(`"${output.sha256}-settings"`);
    expect((await (await postFile(bytes)).json()) as unknown).toEqual({ settings: expected });
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", output.width, output.height]);

    const inline = await getMedia(output.id);
    expect(Buffer.from(await inline.arrayBuffer()).equals(await storedBytes(output.storageKey))).toBe(true);
  });

  it("an upload has no job behind it and downloads as it is stored", async () => {
    const user = await makeUser(t.db);
    const upload = await storeAsset(t.db, user.id, { kind: "upload" });
    signInAs(user);
    const response = await getMedia(upload.id, "?download=1");
    expect(Buffer.from(await response.arrayBuffer()).equals(await storedBytes(upload.storageKey))).toBe(true);
  });

  it("a ZIP of the selection carries each image's settings", async () => {
    const { user, job, output, expected } = await seeded();
    signInAs(user);
    const files = unzipSync(new Uint8Array(await (await postZip([job.generation.id])).arrayBuffer()));
    const entry = Object.entries(files).find(([name]) => name.includes(output.id))![1];
    expect((await (await postFile(entry)).json()) as unknown).toEqual({ settings: expected });
  });

  it("turned off on the account, downloads and ZIPs carry nothing: the stored file byte for byte", async () => {
    const { user, job, output } = await seeded();
    signInAs(user);
    expect(await setEmbed.setEmbedSettingsAction({ embedSettings: false })).toEqual({
      ok: true,
      data: { embedSettings: false },
    });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).embedSettings).toBe(false);

    const download = await getMedia(output.id, "?download=1");
    expect(download.headers.get("etag")).toBe(`"${output.sha256}"`);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(Buffer.from(bytes).equals(await storedBytes(output.storageKey))).toBe(true);
    expect((await sharp(bytes).metadata()).xmp).toBeUndefined();
    const files = unzipSync(new Uint8Array(await (await postZip([job.generation.id])).arrayBuffer()));
    const entry = Object.entries(files).find(([name]) => name.includes(output.id))![1];
    expect(Buffer.from(entry).equals(await storedBytes(output.storageKey))).toBe(true);

    expect((await setEmbed.setEmbedSettingsAction({ embedSettings: true })).ok).toBe(true);
    const again = new Uint8Array(await (await getMedia(output.id, "?download=1")).arrayBuffer());
    expect(((await (await postFile(again)).json()) as { settings: unknown }).settings).not.toBeNull();
  });

  it("the switch takes a boolean only", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    for (const bad of [{ embedSettings: "false" }, {}, { embedSettings: false, extra: 1 }]) {
      const result = await setEmbed.setEmbedSettingsAction(bad as never);
      expect(result.ok).toBe(false);
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).embedSettings).toBe(true);
  });

  it("reading a file: an image from elsewhere has no settings, bytes that are no image get 415, anonymous 401", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    expect(await (await postFile(await sampleImage("png", 32, 32))).json()).toEqual({ settings: null });
    const garbage = await postFile(new TextEncoder().encode("just text"));
    expect(garbage.status).toBe(415);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toMatch(
      /PNG, JPEG or WebP/,
    );
    signOutAll();
    expect((await postFile(await sampleImage("png", 8, 8))).status).toBe(401);
  });
});
