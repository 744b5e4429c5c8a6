import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as DeleteModule from "@/server/actions/delete-preset";
import type * as RenameModule from "@/server/actions/rename-preset";
import type * as SaveModule from "@/server/actions/save-preset";

import { makeUser } from "../helpers/app-db";
import { signInAs } from "../helpers/session-mock";
import { DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("prompt presets on %s", (kind) => {
  let t: TestDb;
  let save: typeof SaveModule;
  let rename: typeof RenameModule;
  let remove: typeof DeleteModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    save = await import("@/server/actions/save-preset");
    rename = await import("@/server/actions/rename-preset");
    remove = await import("@/server/actions/delete-preset");
  });
  afterAll(async () => t?.close());

  const list = async (userId: string) => (await import("@/server/presets/presets")).listPresets(userId);

  it("saves the create settings under a name, lists them to apply as saved, renames and deletes them", async () => {
    const user = await makeUser(t.db);
    signInAs(user);
    const settings = {
      prompt: "  a lighthouse at dusk ",
      negativePrompt: "text, watermark",
      aspectRatio: "16:9",
      seed: 4242,
      provider: "reveart",
    } as const;
    const saved = await save.savePresetAction({ name: " Dusk ", settings });
    expect(saved).toEqual({
      ok: true,
      data: {
        id: expect.any(String),
        name: "Dusk",
        settings: { ...settings, prompt: "a lighthouse at dusk" },
      },
    });
    if (!saved.ok) throw new Error("not saved");
    // Random seed, no negative prompt: stored as absent, applied as absent.
    const random = await save.savePresetAction({
      name: "Square",
      settings: { prompt: "a pear", negativePrompt: "" },
    });
    expect(random).toMatchObject({
      ok: true,
      data: { settings: { prompt: "a pear", aspectRatio: "1:1", provider: "auto" } },
    });
    if (!random.ok) throw new Error("not saved");
    expect(random.data.settings).not.toHaveProperty("seed");
    expect(random.data.settings.negativePrompt).toBeUndefined();

    expect(await list(user.id)).toEqual([
      saved.data,
      { ...random.data, settings: { ...random.data.settings } },
    ]);
    expect(await save.savePresetAction({ name: "Dusk", settings: { prompt: "other" } })).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "You already have a preset named “Dusk”." },
    });
    expect(await rename.renamePresetAction({ id: random.data.id, name: "Dusk" })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    expect(await rename.renamePresetAction({ id: random.data.id, name: "Pear" })).toEqual({
      ok: true,
      data: { id: random.data.id, name: "Pear" },
    });
    expect(await remove.deletePresetAction({ id: saved.data.id })).toEqual({ ok: true, data: null });
    expect(await remove.deletePresetAction({ id: saved.data.id })).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "That preset no longer exists." },
    });
    expect((await list(user.id)).map((p) => p.name)).toEqual(["Pear"]);
  });

  it("leaves out a stored preset that no longer fits the settings, rather than breaking the page", async () => {
    const user = await makeUser(t.db);
    await t.db.promptPreset.create({
      data: { userId: user.id, name: "Old", settings: { prompt: "x", provider: "a-retired-reseller" } },
    });
    await t.db.promptPreset.create({ data: { userId: user.id, name: "Good", settings: { prompt: "y" } } });
    expect((await list(user.id)).map((p) => p.name)).toEqual(["Good"]);
  });

  it("keeps each user's presets to that user, and stops at the limit", async () => {
    const owner = await makeUser(t.db);
    const other = await makeUser(t.db);
    signInAs(owner);
    const made = await save.savePresetAction({ name: "Mine", settings: { prompt: "mine" } });
    if (!made.ok) throw new Error("not saved");
    signInAs(other);
    // The same name is free for another user; another user's preset is simply not found.
    expect((await save.savePresetAction({ name: "Mine", settings: { prompt: "theirs" } })).ok).toBe(true);
    expect(await rename.renamePresetAction({ id: made.data.id, name: "Stolen" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await remove.deletePresetAction({ id: made.data.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect((await list(owner.id)).map((p) => [p.name, p.settings.prompt])).toEqual([["Mine", "mine"]]);

    const { PRESETS_MAX } = await import("@/lib/presets");
    await t.db.promptPreset.createMany({
      data: Array.from({ length: PRESETS_MAX - 1 }, (_, i) => ({
        userId: other.id,
        name: `p${i}`,
        settings: { prompt: "x" },
      })),
    });
    expect(await save.savePresetAction({ name: "One more", settings: { prompt: "x" } })).toMatchObject({
      ok: false,
      error: { code: "conflict", message: `You can have at most ${PRESETS_MAX} presets. Delete one first.` },
    });
  });
});
