import { useAppDb } from "./support/app-db";

import { readdir } from "node:fs/promises";
import path from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { type ActionError, errorText } from "@/lib/action-result";
import { REVEART_CAPABILITIES } from "@/server/providers/reveart";
import type { NormalizedStatus, ReveProvider } from "@/server/providers/types";

import { makeUser } from "../helpers/app-db";
import { waitForTerminal } from "../helpers/lifecycle";
import { signInAs } from "../helpers/session-mock";
import { assertLedgerConserved, createTestDb, DB_KINDS, type TestDb } from "../helpers/test-db";
import { pngBomb, samplePng, truncatedJpeg } from "../fixtures/images";
import { startServer } from "./support/servers";
import {
  footprint,
  installLifecycle,
  seedFinishedGeneration,
  seedRunningGeneration,
  snapshotUser,
  storeAsset,
} from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

// Hostile or broken input through the real actions and route handlers. Each gets a clear message,
// costs nothing (balance and ledger unchanged) and stores nothing (no Generation or Asset row, no
// file). Outputs that a reseller points at our own network are never fetched, and the job is
// refunded.

type Result = { ok: boolean; error?: ActionError };

/** Every file under the app's media folder, whoever it belongs to (temporary files too). */
async function mediaFiles(): Promise<number> {
  const root = path.resolve(process.env.DATA_DIR ?? "data", "media");
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

/** A message a person can act on: a sentence, with nothing of a stack trace or a schema's internals. */
function expectClear(message: string | undefined) {
  expect(message).toMatch(/^[A-Z].{8,300}[.)]$/s);
  expect(message).not.toMatch(
    /\bat \S+:\d+|Zod|undefined|\[object|expected \w+|received \w+|too (small|big)/i,
  );
}

describe.each(DB_KINDS)("bad input on %s", (kind) => {
  let t: TestDb;
  let user: { id: string };
  let stranger: { id: string };
  const fake = { status: undefined as undefined | ((jobId: string) => NormalizedStatus), submits: 0 };

  beforeAll(async () => {
    t = await createTestDb(kind);
    useAppDb(t.db);
    user = await makeUser(t.db, 50);
    stranger = await makeUser(t.db, 50);
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  /** reve-art stand-in: takes every job, then answers status reads with whatever the test sets. */
  function fakeReveart(): ReveProvider {
    return {
      id: "reveart",
      label: "reve-art (fake)",
      capabilities: REVEART_CAPABILITIES,
      async submit() {
        fake.submits++;
        return { state: "queued", providerJobId: `fake-${crypto.randomUUID()}` };
      },
      async getStatus(jobId) {
        return fake.status?.(jobId) ?? { state: "processing", providerJobId: jobId };
      },
    };
  }

  /** Ends the jobs a test left running (refunding them), so the next test's polls see only its own. */
  async function settleActiveJobs() {
    const { failGeneration } = await import("@/server/generations/failure");
    const active = await t.db.generation.findMany({
      where: { status: { in: ["submitting", "queued", "processing"] } },
      select: { id: true },
    });
    for (const job of active) await failGeneration({ db: t.db }, job.id, "deadline");
  }
  afterEach(settleActiveJobs);

  async function unchanged<T>(run: () => Promise<T>): Promise<T> {
    const before = { ...(await footprint(t.db, user.id)), media: await mediaFiles() };
    const submits = fake.submits;
    const result = await run();
    expect({ ...(await footprint(t.db, user.id)), media: await mediaFiles() }).toEqual(before);
    expect(fake.submits).toBe(submits);
    return result;
  }

  it("prompts and settings: refused with a clear message, nothing charged, nothing stored", async () => {
    installLifecycle(t.db, { registry: { providers: { reveart: fakeReveart() } } });
    const { createImage } = await import("@/server/actions/create-image");
    const { editImage } = await import("@/server/actions/edit-image");
    const { remixImages } = await import("@/server/actions/remix-images");
    const { varyImage } = await import("@/server/actions/vary-image");
    const { rerunBatchAction } = await import("@/server/actions/rerun-batch");
    signInAs(user);
    const own = await Promise.all(
      Array.from({ length: 5 }, () => storeAsset(t.db, user.id, { kind: "upload" })),
    );
    const theirs = await storeAsset(t.db, stranger.id, { kind: "upload" });
    const theirJob = await seedRunningGeneration(t.db, stranger.id, { prompt: "theirs" });

    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      ["an empty prompt", () => createImage({ prompt: "" }), "invalid_input", /Write a prompt/],
      ["a prompt of spaces", () => createImage({ prompt: "   \n\t " }), "invalid_input", /Write a prompt/],
      [
        "a 10,000-character prompt",
        () => createImage({ prompt: "a".repeat(10_000) }),
        "invalid_input",
        /under 2,560/,
      ],
      [
        "a NUL in the prompt",
        () => createImage({ prompt: "a cat\u0000" }),
        "invalid_input",
        /control characters/,
      ],
      [
        "an escape sequence",
        () => createImage({ prompt: "a \u001b[2Jcat" }),
        "invalid_input",
        /control characters/,
      ],
      ["a DEL character", () => createImage({ prompt: "a\u007fcat" }), "invalid_input", /control characters/],
      [
        "a control character in the negative prompt",
        () => createImage({ prompt: "a cat", negativePrompt: "dogs\u0007" }),
        "invalid_input",
        /control characters/,
      ],
      [
        "a prompt that is not text",
        () => createImage({ prompt: 42 as never }),
        "invalid_input",
        /Write a prompt/,
      ],
      [
        "a bad aspect ratio",
        () => createImage({ prompt: "a cat", aspectRatio: "5:4" as never }),
        "invalid_input",
        /aspect ratios/,
      ],
      [
        "an aspect ratio carrying SQL",
        () => createImage({ prompt: "a cat", aspectRatio: '1:1\'; DROP TABLE "User"; --' as never }),
        "invalid_input",
        /aspect ratios/,
      ],
      [
        "a negative seed",
        () => createImage({ prompt: "a cat", seed: -1 }),
        "invalid_input",
        /cannot be negative/,
      ],
      [
        "a huge seed",
        () => createImage({ prompt: "a cat", seed: 2 ** 40 }),
        "invalid_input",
        /at most 2,147,483,647/,
      ],
      [
        "a fractional seed",
        () => createImage({ prompt: "a cat", seed: 1.5 }),
        "invalid_input",
        /whole number/,
      ],
      [
        "a seed that is text",
        () => createImage({ prompt: "a cat", seed: "7" as never }),
        "invalid_input",
        /whole number/,
      ],
      [
        "an unknown provider",
        () => createImage({ prompt: "a cat", provider: "evil" as never }),
        "invalid_input",
        /provider/,
      ],
      [
        "zero images",
        () => createImage({ prompt: "a cat", count: 0 }),
        "invalid_input",
        /Make 1 to 4 images/,
      ],
      [
        "five images",
        () => createImage({ prompt: "a cat", count: 5 }),
        "invalid_input",
        /Make 1 to 4 images/,
      ],
      [
        "1.5 images",
        () => createImage({ prompt: "a cat", count: 1.5 }),
        "invalid_input",
        /Make 1 to 4 images/,
      ],
      [
        "a count as text",
        () => createImage({ prompt: "a cat", count: "2" as never }),
        "invalid_input",
        /Make 1 to 4 images/,
      ],
      [
        "vary of an id that is a path",
        () => varyImage({ id: "../../etc/passwd" }),
        "not_found",
        /image was not found/,
      ],
      ["vary of no id", () => varyImage({} as never), "not_found", /image was not found/],
      [
        "re-run of a batch id that is not text",
        () => rerunBatchAction({ batchId: 7 as never }),
        "not_found",
        /batch was not found/,
      ],
      [
        "five references",
        () => remixImages({ prompt: "mix", assetIds: own.map((a) => a.id) }),
        "invalid_input",
        /at most 4 reference/,
      ],
      [
        "no references",
        () => remixImages({ prompt: "mix", assetIds: [] }),
        "invalid_input",
        /at least one reference/,
      ],
      [
        "the same reference twice",
        () => remixImages({ prompt: "mix", assetIds: [own[0]!.id, own[0]!.id] }),
        "invalid_input",
        /given twice/,
      ],
      [
        "a reference owned by someone else",
        () => remixImages({ prompt: "mix", assetIds: [own[0]!.id, theirs.id] }),
        "not_found",
        /not found/,
      ],
      [
        "editing someone else's image",
        () => editImage({ prompt: "night", assetId: theirs.id }),
        "not_found",
        /not found/,
      ],
      [
        "continuing someone else's job",
        () => editImage({ prompt: "night", assetId: own[0]!.id, parentId: theirJob.generation.id }),
        "not_found",
        /not found/,
      ],
      [
        "an asset id that is a path",
        () => editImage({ prompt: "night", assetId: "../../etc/passwd" }),
        "not_found",
        /not found/,
      ],
      ["an empty asset id", () => editImage({ prompt: "night", assetId: "" }), "invalid_input", /not found/],
      [
        "an asset id that is not text",
        () => editImage({ prompt: "night", assetId: 7 as never }),
        "invalid_input",
        /not found/,
      ],
      ["no input at all", () => createImage(null as never), "invalid_input", /Check the form/],
      ["a list instead of the form", () => remixImages([] as never), "invalid_input", /Check the form/],
    ];
    const messages: string[] = [];
    for (const [name, run, code, message] of cases) {
      const result = (await unchanged(run)) as Result;
      expect(result.ok, name).toBe(false);
      expect(result.error?.code, name).toBe(code);
      expect(result.error?.message, name).toMatch(message);
      // The form shows the message followed by what the error says of the user's credits.
      expect(result.error?.nothingCharged, name).toBe(true);
      expect(errorText(result.error!), name).toMatch(/\. Nothing was charged\.$/);
      expectClear(result.error?.message);
      messages.push(`${name}: ${errorText(result.error!)}`);
    }

    // The same action with good input goes through, so the refusals above are about the input.
    const good = (await createImage({ prompt: "a cat", aspectRatio: "16:9", provider: "reveart" })) as Result;
    expect(good.ok).toBe(true);
    expect(fake.submits).toBe(1);
    console.info(
      `bad input (${kind}): ${cases.length} prompts and settings refused with a message, 0 charged, 0 stored\n  ` +
        messages.join("\n  "),
    );
  });

  it("bulk gallery actions: too many ids, malformed ids, no target or two: refused clearly, nothing changes", async () => {
    const { deleteGenerations } = await import("@/server/actions/delete-generations");
    const { setFavorites } = await import("@/server/actions/set-favorites");
    const { countMatchingGenerations } = await import("@/server/actions/count-matching");
    signInAs(user);
    const mine = await seedFinishedGeneration(t.db, user.id, "bulk bad input");
    const id = mine.generation.id;
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      [
        "501 ids",
        () => deleteGenerations({ ids: Array.from({ length: 501 }, (_, i) => `g${i}`) }),
        /at most 500/,
      ],
      ["an empty selection", () => deleteGenerations({ ids: [] }), /at least one/],
      ["an id that is a path", () => deleteGenerations({ ids: [id, "../../etc/passwd"] }), /not valid/],
      ["an id that is not text", () => deleteGenerations({ ids: [id, 7 as never] }), /not valid/],
      ["ids as a string", () => deleteGenerations({ ids: id as never }), /list of ids/],
      ["no target", () => deleteGenerations({}), /a list of ids, or all that match/],
      ["ids and all at once", () => deleteGenerations({ ids: [id], all: true }), /a list of ids, or all/],
      ["all: false", () => deleteGenerations({ all: false as never }), /Send all as true/],
      [
        "a filter on an unknown kind",
        () => deleteGenerations({ all: true, filter: { kind: "paint" as never } }),
        /kind must be one of/,
      ],
      [
        "favorite as a word",
        () => setFavorites({ target: { ids: [id] }, favorite: "yes" as never }),
        /favorite must be true or false/,
      ],
      [
        "favorite of 501 ids",
        () =>
          setFavorites({ target: { ids: Array.from({ length: 501 }, (_, i) => `g${i}`) }, favorite: true }),
        /at most 500/,
      ],
      [
        "a count with a bad status",
        () => countMatchingGenerations({ status: "done" as never }),
        /status must be one of/,
      ],
    ];
    const before = await snapshotUser(t.db, user.id);
    for (const [name, run, message] of cases) {
      const result = (await run()) as Result;
      expect(result.ok, name).toBe(false);
      expect(result.error?.code, name).toBe("invalid_input");
      expect(result.error?.message, name).toMatch(message);
      // The gallery filter's own messages name the URL parameter first ("kind must be one of …").
      if (!/kind|status/.test(name)) expectClear(result.error?.message);
      else expect(result.error?.message, name).not.toMatch(/Zod|undefined|\[object|received \w+/);
    }
    expect(await snapshotUser(t.db, user.id)).toBe(before);
    // The ZIP download reads its selection from a form post under a 64 KiB cap.
    const { POST: postZip } = await import("@/app/api/generations/zip/route");
    const zip = (body: string) =>
      postZip(
        new Request("http://localhost/api/generations/zip", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        }),
        { params: Promise.resolve({}) },
      );
    const zipCases: [string, string, number, RegExp][] = [
      ["a ZIP of no selection", "", 400, /Say which images to download/],
      ["a ZIP of a selection that is not JSON", "target=%7Bids", 400, /Say which images to download/],
      [
        "a ZIP of a path",
        `target=${encodeURIComponent(JSON.stringify({ ids: ["../x"] }))}`,
        400,
        /not valid/,
      ],
      ["a ZIP request of 100 KB", `target=${"a".repeat(100_000)}`, 413, /too large/],
    ];
    for (const [name, body, code, message] of zipCases) {
      const response = await zip(body);
      expect(response.status, name).toBe(code);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message, name).toMatch(message);
      expectClear(error.message);
    }
    expect(await snapshotUser(t.db, user.id)).toBe(before);
    // Good input goes through, so the refusals above are about the input.
    expect(await setFavorites({ target: { ids: [id] }, favorite: true })).toEqual({
      ok: true,
      data: { changed: 1, ignored: 0 },
    });
  });

  it("collections: blank, long or missing names, malformed ids: refused clearly, nothing changes", async () => {
    const { createCollectionAction } = await import("@/server/actions/create-collection");
    const { renameCollectionAction } = await import("@/server/actions/rename-collection");
    const { deleteCollectionAction } = await import("@/server/actions/delete-collection");
    const { addToCollectionAction } = await import("@/server/actions/add-to-collection");
    signInAs(user);
    const mine = await seedFinishedGeneration(t.db, user.id, "collection bad input");
    const board = await t.db.collection.create({ data: { userId: user.id, name: "Board" } });
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ["a blank name", () => createCollectionAction({ name: "   " }), /Give the collection a name/],
      ["no name", () => createCollectionAction({} as never), /Give the collection a name/],
      [
        "a name as a number",
        () => createCollectionAction({ name: 7 as never }),
        /Give the collection a name/,
      ],
      [
        "a 61-character name",
        () => createCollectionAction({ name: "x".repeat(61) }),
        /at most 60 characters/,
      ],
      [
        "a rename to blank",
        () => renameCollectionAction({ id: board.id, name: "" }),
        /Give the collection a name/,
      ],
      ["a collection id that is a path", () => deleteCollectionAction({ id: "../../x" }), /no longer exists/],
      [
        "an add of 501 ids",
        () =>
          addToCollectionAction({
            id: board.id,
            target: { ids: Array.from({ length: 501 }, (_, i) => `g${i}`) },
          }),
        /at most 500/,
      ],
      [
        "an add with a malformed id",
        () => addToCollectionAction({ id: board.id, target: { ids: [mine.generation.id, "a/b"] } }),
        /not valid/,
      ],
    ];
    const before = await snapshotUser(t.db, user.id);
    for (const [name, run, message] of cases) {
      const result = (await run()) as Result;
      expect(result.ok, name).toBe(false);
      expect(result.error?.code, name).toBe("invalid_input");
      expect(result.error?.message, name).toMatch(message);
      expectClear(result.error?.message);
    }
    expect(await snapshotUser(t.db, user.id)).toBe(before);
    expect(await addToCollectionAction({ id: board.id, target: { ids: [mine.generation.id] } })).toEqual({
      ok: true,
      data: { changed: 1, ignored: 0 },
    });
  });

  it("admin job actions: malformed, unknown and numeric ids, missing reasons: refused clearly, nothing changes", async () => {
    const { adminRefundJob } = await import("@/server/actions/admin-refund-job");
    const { adminPollJob } = await import("@/server/actions/admin-poll-job");
    const { adminFailJob } = await import("@/server/actions/admin-fail-job");
    const admin = await t.db.user.create({
      data: { email: `admin-${crypto.randomUUID()}@example.test`, role: "admin" },
    });
    signInAs(admin);
    const running = await seedRunningGeneration(t.db, user.id, { prompt: "admin bad input" });
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      [
        "a path as the id",
        () => adminFailJob({ id: "../../etc/passwd", reason: "lost" }),
        /job id is not valid/,
      ],
      ["no id", () => adminRefundJob({} as never), /Give the job's id/],
      ["a number as the id", () => adminPollJob({ id: 42 as never }), /Give the job's id/],
      ["a 65-character id", () => adminPollJob({ id: "x".repeat(65) }), /job id is not valid/],
      [
        "an unknown id",
        () => adminFailJob({ id: "cl0000000000000000000000", reason: "lost" }),
        /No job has the id/,
      ],
      [
        "a fail with no reason",
        () => adminFailJob({ id: running.generation.id } as never),
        /--reason must say why/,
      ],
      [
        "a fail with a blank reason",
        () => adminFailJob({ id: running.generation.id, reason: "  " }),
        /--reason must say why/,
      ],
      [
        "a refund before the deadline",
        () => adminRefundJob({ id: running.generation.id }),
        /not past its deadline/,
      ],
    ];
    const before = await snapshotUser(t.db, user.id);
    for (const [name, run, message] of cases) {
      const result = (await run()) as Result;
      expect(result.ok, name).toBe(false);
      expect(result.error?.code, name).toBe("invalid_input");
      expect(result.error?.message, name).toMatch(message);
    }
    expect(await snapshotUser(t.db, user.id)).toBe(before);
    expect(await t.db.auditLog.count({ where: { actor: admin.id } })).toBe(0);
  });

  it("share links and presets: bad targets, options, expiries, names and settings: refused clearly, nothing changes", async () => {
    const { createShareAction } = await import("@/server/actions/create-share");
    const { revokeShareAction } = await import("@/server/actions/revoke-share");
    const { listSharesAction } = await import("@/server/actions/list-shares");
    const { savePresetAction } = await import("@/server/actions/save-preset");
    const { renamePresetAction } = await import("@/server/actions/rename-preset");
    const { deletePresetAction } = await import("@/server/actions/delete-preset");
    signInAs(user);
    const mine = await seedFinishedGeneration(t.db, user.id, "share bad input");
    const preset = await t.db.promptPreset.create({
      data: { userId: user.id, name: "Kept", settings: { prompt: "kept" } },
    });
    const image = { kind: "generation", id: mine.generation.id } as const;
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ["a share of nothing", () => createShareAction({} as never), /Choose an image or a collection/],
      [
        "a share of an unknown kind",
        () => createShareAction({ target: { kind: "user", id: user.id } as never }),
        /Choose an image or a collection/,
      ],
      [
        "a share target id that is a path",
        () => createShareAction({ target: { kind: "generation", id: "../../x" } }),
        /no longer exists/,
      ],
      [
        "an expiry of 5 days",
        () => createShareAction({ target: image, expiresInDays: 5 as never }),
        /expires after 1, 7, 30 days, or never/,
      ],
      [
        "an expiry as text",
        () => createShareAction({ target: image, expiresInDays: "7" as never }),
        /expires after/,
      ],
      [
        "show the prompt as text",
        () => createShareAction({ target: image, showPrompt: "yes" as never }),
        /whether the prompt is shown/,
      ],
      ["a revoke of a short id", () => revokeShareAction({ id: "abc" }), /no longer exists/],
      [
        "a revoke of a path",
        () => revokeShareAction({ id: "../../../../../../etc/pass" }),
        /no longer exists/,
      ],
      ["a list of no target", () => listSharesAction({} as never), /Choose an image or a collection/],
      [
        "a preset with a blank name",
        () => savePresetAction({ name: "  ", settings: { prompt: "x" } }),
        /Give the preset a name/,
      ],
      [
        "a preset with a 61-character name",
        () => savePresetAction({ name: "x".repeat(61), settings: { prompt: "x" } }),
        /at most 60 characters/,
      ],
      [
        "a preset with no prompt",
        () => savePresetAction({ name: "p", settings: { prompt: "" } }),
        /Write a prompt/,
      ],
      [
        "a preset with an unknown ratio",
        () => savePresetAction({ name: "p", settings: { prompt: "x", aspectRatio: "5:1" as never } }),
        /Pick one of the aspect ratios/,
      ],
      [
        "a preset with a negative seed",
        () => savePresetAction({ name: "p", settings: { prompt: "x", seed: -1 } }),
        /cannot be negative/,
      ],
      [
        "a preset with an unknown reseller",
        () => savePresetAction({ name: "p", settings: { prompt: "x", provider: "elsewhere" as never } }),
        /Pick a provider or Auto/,
      ],
      [
        "a preset with no settings",
        () => savePresetAction({ name: "p" } as never),
        /Write a prompt and choose the settings/,
      ],
      ["a rename to blank", () => renamePresetAction({ id: preset.id, name: "" }), /Give the preset a name/],
      ["a preset id that is a path", () => deletePresetAction({ id: "a/b" }), /no longer exists/],
    ];
    const before = await snapshotUser(t.db, user.id);
    for (const [name, run, message] of cases) {
      const result = (await run()) as Result;
      expect(result.ok, name).toBe(false);
      expect(result.error?.code, name).toBe("invalid_input");
      expect(result.error?.message, name).toMatch(message);
      expectClear(result.error?.message);
    }
    expect(await snapshotUser(t.db, user.id)).toBe(before);

    // The public routes answer a malformed share id, asset id or variant as a missing image.
    const media = await import("@/app/api/share/[shareId]/media/[assetId]/[variant]/route");
    const preview = await import("@/app/api/share/[shareId]/preview/route");
    const made = await createShareAction({ target: image });
    if (!made.ok) throw new Error(made.error.message);
    const asset = mine.output.id;
    for (const [shareId, assetId, variant] of [
      ["../../etc", asset, "original"],
      [made.data.id, "..%2F..%2Fsecrets.json", "original"],
      [made.data.id, asset, "raw"],
      ["x".repeat(5000), asset, "thumb"],
    ] as const) {
      const answer = await media.GET(new Request(`http://localhost/api/share/x/media/y/z`), {
        params: Promise.resolve({ shareId, assetId, variant }),
      });
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ error: { code: "not_found", message: "Image not found." } });
    }
    const badPreview = await preview.GET(new Request("http://localhost/api/share/x/preview"), {
      params: Promise.resolve({ shareId: "%00" }),
    });
    expect(badPreview.status).toBe(404);
    expect(
      (
        await media.GET(new Request("http://localhost/api/share/x/media/y/z"), {
          params: Promise.resolve({ shareId: made.data.id, assetId: asset, variant: "thumb" }),
        })
      ).status,
    ).toBe(200);
  });

  it("uploads: text as .png, SVG, 50 MB, a 20,000×20,000 PNG bomb and a truncated JPEG", async () => {
    const route = await import("@/app/api/uploads/route");
    signInAs(user);
    const post = (bytes: Uint8Array, name: string, type: string) => {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
      return route.POST(new Request("http://localhost/api/uploads", { method: "POST", body: form }));
    };
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
    );
    const huge = Buffer.alloc(50 * 1024 * 1024);
    (await samplePng(8, 8)).copy(huge);
    const cases: [string, () => Promise<Response>, number, RegExp][] = [
      [
        "a text file named .png",
        () => post(Buffer.from("just some text, honest"), "photo.png", "image/png"),
        415,
        /JPEG, PNG or WebP/,
      ],
      ["an SVG with a script", () => post(svg, "vector.svg", "image/svg+xml"), 415, /JPEG, PNG or WebP/],
      ["an SVG named .png", () => post(svg, "vector.png", "image/png"), 415, /JPEG, PNG or WebP/],
      ["a 50 MB file", () => post(huge, "big.png", "image/png"), 413, /too large/],
      [
        "a 20,000×20,000 PNG bomb",
        () => post(pngBomb(20_000, 20_000), "bomb.png", "image/png"),
        413,
        /too many pixels/,
      ],
      [
        "a truncated JPEG",
        async () => post(await truncatedJpeg(), "cut.jpg", "image/jpeg"),
        400,
        /damaged or incomplete/,
      ],
      ["an empty file", () => post(new Uint8Array(0), "empty.png", "image/png"), 400, /empty/],
    ];
    for (const [name, run, status, message] of cases) {
      const response = await unchanged(run);
      const body = (await response.json()) as { error: { message: string } };
      expect(response.status, name).toBe(status);
      expect(body.error.message, name).toMatch(message);
      expectClear(body.error.message);
    }
    const good = await post(await samplePng(64, 64), "fine.png", "image/png");
    expect(good.status).toBe(201);
    console.info(
      `bad uploads (${kind}): ${cases.length} refused (415/413/400) with a message, 0 stored; a real PNG is taken`,
    );
  });

  it("settings inside files: bytes that are no image, 50 MB, no multipart, tampered packets; the switch takes a boolean", async () => {
    const route = await import("@/app/api/file-settings/route");
    const { setEmbedSettingsAction } = await import("@/server/actions/set-embed-settings");
    const { embedSettings, settingsXmp } = await import("@/server/media/file-settings");
    const sharp = (await import("sharp")).default;
    signInAs(user);
    const post = (bytes: Uint8Array, name = "dropped.png", type = "image/png") => {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
      return route.POST(new Request("http://localhost/api/file-settings", { method: "POST", body: form }));
    };
    const huge = Buffer.alloc(50 * 1024 * 1024);
    (await samplePng(8, 8)).copy(huge);
    const refused: [string, () => Promise<Response>, number, RegExp][] = [
      ["a text file named .png", () => post(Buffer.from("just some text, honest")), 415, /PNG, JPEG or WebP/],
      ["a 50 MB file", () => post(huge), 413, /too large/],
      ["an empty file", () => post(new Uint8Array(0)), 400, /empty/],
      [
        "a JSON body",
        () => route.POST(new Request("http://localhost/api/file-settings", { method: "POST", body: "{}" })),
        400,
        /multipart/,
      ],
    ];
    for (const [name, run, status, message] of refused) {
      const response = await unchanged(run);
      const body = (await response.json()) as { error: { message: string } };
      expect(response.status, name).toBe(status);
      expect(body.error.message, name).toMatch(message);
      expectClear(body.error.message);
    }
    // Readable images whose packet is not one the studio would write carry no settings at all.
    const settings = {
      prompt: "a heron",
      negativePrompt: null,
      aspectRatio: "1:1" as const,
      seed: 7,
      provider: "pixazo" as const,
      operation: "create" as const,
      studioUrl: "https://studio.example/gallery/x",
    };
    const withXmp = async (xmp: string) =>
      sharp(await samplePng(16, 16))
        .withXmp(xmp)
        .jpeg()
        .toBuffer();
    const good = settingsXmp(settings);
    const forged = [
      good.replace('reve:aspectRatio="1:1"', 'reve:aspectRatio="99:1"'),
      good.replace('reve:provider="pixazo"', 'reve:provider="evil"'),
      good.replace('reve:prompt="a heron"', `reve:prompt="${"long ".repeat(600)}"`),
      good.replace('reve:seed="7"', 'reve:seed="7" reve:credits="1000000"'),
      good.replace(/reve:studioUrl="[^"]*"/, 'reve:studioUrl="javascript:alert(1)"'),
    ];
    for (const xmp of forged) {
      const response = await unchanged(async () => post(await withXmp(xmp), "forged.jpg", "image/jpeg"));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ settings: null });
    }
    // The same packet untouched is read back: the refusals above are the tampering, not the reader.
    const real = await embedSettings(await samplePng(16, 16), "image/png", settings);
    expect(await (await post(real)).json()).toEqual({ settings });
    expect(await (await post(pngBomb(20_000, 20_000), "bomb.png")).json()).toEqual({ settings: null });

    for (const bad of [{ embedSettings: "no" }, { embedSettings: 0 }, {}, null]) {
      const result = (await unchanged(() => setEmbedSettingsAction(bad as never))) as Result;
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe("invalid_input");
      expectClear(result.error?.message);
    }
  });

  it("webhooks: wrong token, another job's token, another job's body, malformed and oversized bodies", async () => {
    const deps = installLifecycle(t.db);
    const route = await import("@/app/api/webhooks/[provider]/[generationId]/route");
    const { receiveWebhook } = await import("@/server/generations/webhook");
    const job = await seedRunningGeneration(t.db, user.id, { prompt: "hooked", providerJobId: "af-target" });
    const other = await seedRunningGeneration(t.db, user.id, { prompt: "other", providerJobId: "af-other" });
    const post = (provider: string, id: string, token: string | null, body: string) =>
      route.POST(
        new Request(`http://localhost/api/webhooks/${provider}/${id}${token ? `?token=${token}` : ""}`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        }),
        { params: Promise.resolve({ provider, generationId: id }) },
      );
    const failedBody = (jobId: string) => JSON.stringify({ jobId, status: "FAILED", error: "boom" });
    const state = async () => {
      const rows = await t.db.generation.findMany({
        where: { id: { in: [job.generation.id, other.generation.id] } },
      });
      const events = await t.db.webhookEvent.count();
      return JSON.stringify({ rows, events, money: await footprint(t.db, user.id) });
    };

    const cases: [string, () => Promise<Response>, number][] = [
      [
        "a wrong token",
        () => post("apiframe", job.generation.id, "not-the-token", failedBody("af-target")),
        401,
      ],
      ["no token", () => post("apiframe", job.generation.id, null, failedBody("af-target")), 401],
      [
        "a valid token for another job",
        () => post("apiframe", job.generation.id, other.token, failedBody("af-target")),
        401,
      ],
      [
        "the right token on the wrong provider",
        () => post("pixazo", job.generation.id, job.token, failedBody("af-target")),
        401,
      ],
      ["an unknown provider", () => post("evil", job.generation.id, job.token, failedBody("af-target")), 404],
      ["an unknown job", () => post("apiframe", "no-such-job", job.token, failedBody("af-target")), 401],
      [
        "the right token with another job's body",
        () => post("apiframe", job.generation.id, job.token, failedBody("af-other")),
        409,
      ],
      ["a body that is not JSON", () => post("apiframe", job.generation.id, job.token, "{not json"), 400],
      [
        "a JSON body of the wrong shape",
        () => post("apiframe", job.generation.id, job.token, '{"jobId":5,"status":[]}'),
        400,
      ],
      ["an empty body", () => post("apiframe", job.generation.id, job.token, ""), 400],
      [
        "a 300 KB body",
        () => post("apiframe", job.generation.id, job.token, `{"pad":"${"x".repeat(300_000)}"}`),
        413,
      ],
    ];
    const before = await state();
    for (const [name, run, status] of cases) {
      const response = await run();
      expect(response.status, name).toBe(status);
      expectClear(((await response.json()) as { error: { message: string } }).error.message);
      expect(await state(), name).toBe(before);
    }

    // The accepted path (the route hands `apply` to after(), which needs a live request).
    const receipt = await receiveWebhook(deps, {
      provider: "apiframe",
      generationId: job.generation.id,
      token: job.token,
      rawBody: failedBody("af-target"),
      headers: new Headers(),
    });
    expect(receipt.duplicate).toBe(false);
    if (!receipt.duplicate) expect(await receipt.apply()).toBe("failed");
    const repeat = await post("apiframe", job.generation.id, job.token, failedBody("af-target"));
    expect(await repeat.json()).toEqual({ received: true, duplicate: true });
    const ledger = await t.db.creditLedgerEntry.count({
      where: { generationId: job.generation.id, reason: "refund" },
    });
    expect(ledger).toBe(0); // seeded without a hold: nothing to give back, and nothing given
    console.info(
      `bad webhooks (${kind}): ${cases.length} refused (401/404/409/400/413), job and ledger untouched; a repeat is absorbed`,
    );
  });

  it("an output URL pointing into our network is never fetched; the job fails as download_failed and is refunded", async () => {
    // "internal" plays a service on the studio's own network that must never be reached.
    const internal = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("internal secret");
    });
    const png = await samplePng(64, 48);
    // "cdn" is the allowlisted image host (the emulator's place in local mode); it can redirect.
    const cdn = await startServer((req, res) => {
      const to: Record<string, string> = {
        "/to-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "/to-metadata-https": "https://169.254.169.254/latest/meta-data/",
        "/to-private": "https://10.0.0.7/image.png",
        "/to-loopback": `https://127.0.0.1:${internal.port}/image.png`,
        "/to-loopback-http": `http://127.0.0.1:${internal.port}/image.png`,
        "/to-mapped-v6": `https://[::ffff:127.0.0.1]:${internal.port}/image.png`,
      };
      const location = to[req.url ?? ""];
      if (location) {
        res.writeHead(302, { location });
        res.end();
      } else {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(png);
      }
    });
    try {
      const deps = installLifecycle(t.db, {
        registry: { providers: { reveart: fakeReveart() } },
        config: {
          download: { allowHosts: [cdn.host], maxBytes: 5_000_000, maxPixels: 10_000_000, timeoutMs: 3000 },
        },
      });
      const { createImage } = await import("@/server/actions/create-image");
      signInAs(user);
      const urls = [
        `http://127.0.0.1:${internal.port}/image.png`,
        `https://127.0.0.1:${internal.port}/image.png`,
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.7/image.png",
        "https://172.16.5.4/image.png",
        "https://192.168.1.20/image.png",
        "https://100.64.0.1/image.png",
        "https://0.0.0.0/image.png",
        "https://[::1]/image.png",
        "https://[fd00::5]/image.png",
        "https://[fe80::1]/image.png",
        "https://[::ffff:169.254.169.254]/image.png",
        "https://localhost/image.png",
        "https://2130706433/image.png",
        "https://0x7f.0.0.1/image.png",
        "https://user:pass@cdn.example/image.png",
        "file:///etc/passwd",
        `${cdn.url}/to-metadata`,
        `${cdn.url}/to-metadata-https`,
        `${cdn.url}/to-private`,
        `${cdn.url}/to-loopback`,
        `${cdn.url}/to-loopback-http`,
        `${cdn.url}/to-mapped-v6`,
      ];
      const outcomes: string[] = [];
      for (const url of urls) {
        fake.status = (jobId) => ({ state: "succeeded", providerJobId: jobId, outputs: [{ url }] });
        const before = await footprint(t.db, user.id);
        const result = (await createImage({ prompt: "a harbour", provider: "reveart" })) as Result & {
          data?: { generationId: string };
        };
        expect(result.ok, url).toBe(true);
        const id = result.data!.generationId;
        const job = await waitForTerminal(deps, id);
        expect([job.status, job.errorCode], url).toEqual(["failed", "download_failed"]);
        expectClear(job.errorMessage ?? undefined);
        expect(job.errorMessage).toMatch(/Not charged: your credits are back\.$/);
        const ledger = await t.db.creditLedgerEntry.findMany({
          where: { generationId: id },
          orderBy: { createdAt: "asc" },
        });
        expect(
          ledger.map((l) => [l.reason, l.amount]),
          url,
        ).toEqual([
          ["hold", -1],
          ["refund", 1],
        ]);
        const after = await footprint(t.db, user.id);
        expect({ ...after, generations: after.generations - 1 }).toEqual({
          ...before,
          ledger: before.ledger + 2,
        });
        expect(await t.db.asset.count({ where: { generationId: id } })).toBe(0);
        outcomes.push(job.errorCode!);
      }
      expect(internal.hits()).toBe(0);

      // The allowlisted host itself still serves: the refusals are about where the URL points.
      fake.status = (jobId) => ({
        state: "succeeded",
        providerJobId: jobId,
        outputs: [{ url: `${cdn.url}/ok.png` }],
      });
      const control = (await createImage({ prompt: "a harbour", provider: "reveart" })) as {
        data: { generationId: string };
      };
      expect((await waitForTerminal(deps, control.data.generationId)).status).toBe("succeeded");
      console.info(
        `SSRF (${kind}): ${urls.length} output URLs into loopback, link-local, private, mapped and redirected ` +
          `addresses → ${outcomes.length} download_failed, ${outcomes.length} refunded, 0 stored, 0 requests reached the internal service`,
      );
    } finally {
      fake.status = undefined;
      await Promise.all([internal.close(), cdn.close()]);
    }
  });
});
