import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as DeleteAccountActionModule from "@/server/actions/delete-account";

import { createStorage } from "@/server/storage/create-storage";

import { makeUser } from "../helpers/app-db";
import { startLocalBucket } from "../helpers/s3rver";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration, storeAsset, storedFilesOf } from "./support/studio";

// Outside a request, Auth.js' signOut has no cookies to clear and throws; the action must not care.
const auth = vi.hoisted(() => ({
  signOut: vi.fn(async () => {
    throw new Error("signOut needs a request context");
  }),
}));
vi.mock("@/server/auth/config", () => auth);
vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

describe.each(DB_KINDS)("deleteAccount on %s", (kind) => {
  let t: TestDb;
  let action: typeof DeleteAccountActionModule;

  beforeAll(async () => {
    t = await loadStudio(kind);
    action = await import("@/server/actions/delete-account");
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  /** A user with an upload, a finished edit of it, a failed job and credits spent. */
  async function populatedUser(email?: string) {
    const user = await makeUser(t.db, 50, email);
    const upload = await storeAsset(t.db, user.id, { kind: "upload" });
    await seedGeneration(t.db, user.id, { kind: "edit", inputIds: [upload.id], outputs: 2 });
    await seedGeneration(t.db, user.id, { status: "failed" });
    return user;
  }

  it("refuses a confirmation that is not the account's email and changes nothing", async () => {
    const user = await populatedUser();
    signInAs(user);
    for (const typed of ["", "someone@example.test", "delete"]) {
      const result = await action.deleteAccount(typed);
      expect(result).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      expect(!result.ok && result.error.message).toMatch(/email address/);
    }
    expect(await t.db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
    expect(await storedFilesOf(user.id)).toHaveLength(6);
  });

  it("refuses while a job is in flight and changes nothing", async () => {
    const user = await populatedUser();
    await seedGeneration(t.db, user.id, { status: "processing", outputs: 0 });
    signInAs(user);
    const result = await action.deleteAccount(user.email!);
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(!result.ok && result.error.message).toMatch(/still running/);
    expect(await t.db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
    expect(await t.db.asset.count({ where: { userId: user.id } })).toBe(3);
    expect(await storedFilesOf(user.id)).toHaveLength(6);
  });

  it("deletes the user's rows and files, signs out, and leaves other users alone", async () => {
    const bystander = await populatedUser();
    const user = await populatedUser(`Mixed.Case-${crypto.randomUUID()}@Example.test`);
    signInAs(user);
    auth.signOut.mockClear();

    const result = await action.deleteAccount(`  ${user.email!.toUpperCase()} `);

    expect(result).toEqual({ ok: true, data: null });
    expect(auth.signOut).toHaveBeenCalledExactlyOnceWith({ redirect: false });
    expect(await t.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await t.db.generation.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.asset.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.creditLedgerEntry.count({ where: { userId: user.id } })).toBe(0);
    expect(await storedFilesOf(user.id)).toEqual([]);

    expect(await t.db.asset.count({ where: { userId: bystander.id } })).toBe(3);
    expect(await storedFilesOf(bystander.id)).toHaveLength(6);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: bystander.id } })).credits).toBe(50);
  });

  it("asks an account without an email to type “delete”", async () => {
    const user = await t.db.user.create({ data: { name: "OAuth only" } });
    await storeAsset(t.db, user.id, { kind: "upload" });
    signInAs(user);
    const wrong = await action.deleteAccount("yes");
    expect(wrong).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!wrong.ok && wrong.error.message).toMatch(/delete/);
    expect(await action.deleteAccount("DELETE")).toEqual({ ok: true, data: null });
    expect(await t.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await storedFilesOf(user.id)).toEqual([]);
  });

  it("leaves nothing under the user's storage folder, not even files no row points at", async () => {
    const { getStorage } = await import("@/server/storage");
    const { deleteAccountData } = await import("@/server/account/delete-account");
    const bucket = await startLocalBucket(`reve-account-${kind}`);
    try {
      const s3 = createStorage({ DATA_DIR: "data/unused-with-s3", ...bucket.env, S3_FORCE_PATH_STYLE: true });
      for (const storage of [getStorage(), s3]) {
        const user = await populatedUser();
        const bystander = await makeUser(t.db, 0);
        // An upload cut off between its file and its row, and a file an earlier failed delete left.
        const strays = [`users/${user.id}/cut-off/original.png`, `users/${user.id}/cut-off/thumb.webp`];
        const theirs = `users/${bystander.id}/kept/original.png`;
        for (const key of [...strays, theirs]) {
          await storage.put(key, Buffer.from("bytes"), key.endsWith(".webp") ? "image/webp" : "image/png");
        }

        await deleteAccountData(user.id, user.email!, { storage });

        const left: string[] = [];
        for await (const page of storage.list(`users/${user.id}/`)) left.push(...page.map((o) => o.key));
        expect(left, `${storage.kind} storage`).toEqual([]);
        expect(await storage.exists(theirs)).toBe(true);
      }
    } finally {
      await bucket.close();
    }
  });

  it("deletes files in batches, so a large library never sits in one call", async () => {
    const user = await makeUser(t.db, 0);
    await t.db.asset.createMany({
      data: Array.from({ length: 1_100 }, (_, i) => ({
        userId: user.id,
        kind: "upload" as const,
        storageKey: `users/${user.id}/bulk${i}/original.png`,
        thumbKey: `users/${user.id}/bulk${i}/thumb.webp`,
        mime: "image/png",
        width: 1,
        height: 1,
        bytes: 1,
      })),
    });
    const { getStorage } = await import("@/server/storage");
    const storage = getStorage();
    const calls: number[] = [];
    const counting = {
      ...storage,
      delete: async (keys: string[]) => (calls.push(keys.length), storage.delete(keys)),
    };
    const { deleteAccountData } = await import("@/server/account/delete-account");

    await deleteAccountData(user.id, user.email!, { storage: counting });

    expect(calls).toEqual([1000, 1000, 200]);
    expect(await t.db.user.findUnique({ where: { id: user.id } })).toBeNull();
  });

  it("refuses anonymous callers", async () => {
    signOutAll();
    expect(await action.deleteAccount("delete")).toMatchObject({
      ok: false,
      error: { code: "unauthorized" },
    });
  });
});
