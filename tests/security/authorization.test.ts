import { useAppDb } from "./support/app-db";

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { signMediaPath } from "@/server/media/signed-url";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, createTestDb, DB_KINDS, type TestDb } from "../helpers/test-db";
import { samplePng } from "../fixtures/images";
import {
  installLifecycle,
  SIGNING_SECRET,
  seedFinishedGeneration,
  seedRunningGeneration,
  snapshotUser,
  storeAsset,
} from "./support/studio";
import { tripwireFetch } from "./support/tripwire";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));
vi.mock("next/headers", () => import("./support/next-headers-mock"));

// User B, signed in, and an anonymous caller try every route handler, every server action and the
// media URLs on user A's generations, images, uploads, webhooks and account. Each attempt must be
// refused, must show nothing of A's, must reach no provider, and must leave every row and file of
// A's exactly as it was.

type Outcome =
  | { kind: "response"; status: number; text: string; headers: Headers }
  | { kind: "action"; value: unknown }
  | { kind: "threw"; error: unknown };

interface Attempt {
  /** The route file or `action-file:export` it exercises, for the coverage check. */
  target: string;
  name: string;
  run: () => Promise<Outcome>;
  refused: (outcome: Outcome) => boolean;
}

const status =
  (...allowed: number[]) =>
  (o: Outcome) =>
    o.kind === "response" && allowed.includes(o.status);
const actionError =
  (...codes: string[]) =>
  (o: Outcome) => {
    const value = o.kind === "action" ? (o.value as { ok?: boolean; error?: { code?: string } }) : undefined;
    return value?.ok === false && codes.includes(value.error?.code ?? "");
  };
// A bulk action answers the caller with counts: acting on nothing of A's is its refusal.
const actionData = (expected: Record<string, unknown> | number) => (o: Outcome) => {
  const value = o.kind === "action" ? (o.value as { ok?: boolean; data?: unknown }) : undefined;
  if (value?.ok !== true) return false;
  if (typeof expected === "number") return value.data === expected;
  const data = value.data as Record<string, unknown>;
  return Object.entries(expected).every(([key, v]) => data[key] === v);
};
const formError = (message: RegExp) => (o: Outcome) => {
  const value = o.kind === "action" ? (o.value as { ok?: boolean; error?: { message?: string } }) : undefined;
  return value?.ok === false && message.test(value.error?.message ?? "");
};
// signOut ends with Next's redirect to the sign-in page, whoever calls it.
const redirectsToSignIn = (o: Outcome) =>
  o.kind === "threw" && String((o.error as { digest?: string }).digest ?? "").includes("/sign-in");
// An answer about the caller's own account is not a refusal, but it must hold nothing of A's.
const ownDataOnly = status(200, 201);
// Ending a session answers a redirect to where the caller belongs, whoever calls it.
const redirectsTo = (path: string) => (o: Outcome) =>
  o.kind === "response" &&
  o.status === 303 &&
  new URL(o.headers.get("location") ?? "", "http://x").pathname === path;

async function respond(response: Response): Promise<Outcome> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const isZip = response.headers.get("content-type") === "application/zip" && response.status === 200;
  const text = isZip
    ? Object.entries(unzipSync(bytes))
        .map(([name, data]) => `${name}\n${strFromU8(data)}`)
        .join("\n")
    : Buffer.from(bytes).toString("latin1");
  return { kind: "response", status: response.status, text, headers: response.headers };
}

async function act(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { kind: "action", value: await run() };
  } catch (error) {
    return { kind: "threw", error };
  }
}

/** Every "use server" module's exported functions, so a new action cannot escape the matrix. */
async function listServerActions(): Promise<Record<string, Record<string, unknown>>> {
  const dir = path.resolve("server/actions");
  const modules: Record<string, Record<string, unknown>> = {};
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".ts")).sort()) {
    const source = await readFile(path.join(dir, file), "utf8");
    if (!/^\s*["']use server["']/.test(source)) continue;
    const name = file.replace(/\.ts$/, "");
    modules[name] = (await import(/* @vite-ignore */ `@/server/actions/${name}`)) as Record<string, unknown>;
  }
  return modules;
}

/** Every route handler file under app/api, as `api/…/route.ts`. */
async function listRouteFiles(): Promise<string[]> {
  const entries = await readdir(path.resolve("app/api"), { recursive: true });
  return entries
    .filter((e) => e.endsWith("route.ts"))
    .map((e) => `api/${e}`)
    .sort();
}

describe.each(DB_KINDS)("authorization matrix on %s", (kind) => {
  let t: TestDb;
  const tripwire = tripwireFetch();

  beforeAll(async () => {
    t = await createTestDb(kind);
    useAppDb(t.db);
    installLifecycle(t.db, { registry: { fetch: tripwire.fetch } });
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  // Some 160 attempts, each followed by a snapshot of A's rows and files: a guard against a hang,
  // with room for two cores busy with other work, not a measure of speed.
  it("user B and an anonymous caller reach nothing of user A's", async () => {
    const db = t.db;
    const marker = crypto.randomUUID().slice(0, 8);
    const a = await makeUser(db, 50, `owner-${marker}@example.test`);
    const b = await makeUser(db, 50);
    const { hashPassword } = await import("@/server/auth/password");
    await db.user.update({
      where: { id: a.id },
      data: { passwordHash: await hashPassword("owner-password-1") },
    });

    const aUpload = await storeAsset(db, a.id, { kind: "upload", color: "#aa3311" });
    const aDone = await seedFinishedGeneration(db, a.id, `A-private-prompt-${marker}`);
    const aRunning = await seedRunningGeneration(db, a.id, {
      prompt: `A-running-prompt-${marker}`,
      providerJobId: `af-a-${marker}`,
    });
    await db.generationInput.create({
      data: { generationId: aDone.generation.id, assetId: aUpload.id, position: 0 },
    });
    const aBatch = `batch-${marker}`;
    await db.generation.update({ where: { id: aDone.generation.id }, data: { batchId: aBatch } });
    const bUpload = await storeAsset(db, b.id, { kind: "upload", color: "#1133aa" });
    const aPurchase = await db.creditPurchase.create({
      data: {
        userId: a.id,
        checkoutSessionId: `cs_test_a_${marker}`,
        packId: "100",
        credits: 100,
        amountCents: 500,
        currency: "usd",
      },
    });
    const bRunning = await seedRunningGeneration(db, b.id, {
      prompt: "B's own job",
      providerJobId: `af-b-${marker}`,
    });

    const aCollection = await db.collection.create({
      data: {
        userId: a.id,
        name: `A-collection-${marker}`,
        items: { create: { generationId: aDone.generation.id } },
      },
    });
    const bCollection = await db.collection.create({ data: { userId: b.id, name: "B's board" } });
    // A's share links: one live (only its owner's controls use it), one revoked, one expired; B's own
    // live link, which must not lead to anything of A's; A's prompt preset.
    const { newShareId } = await import("@/server/shares/shares");
    const aShare = await db.shareLink.create({
      data: { id: newShareId(), userId: a.id, generationId: aDone.generation.id, showPrompt: true },
    });
    const aRevoked = await db.shareLink.create({
      data: { id: newShareId(), userId: a.id, generationId: aDone.generation.id, showPrompt: true },
    });
    await db.shareLink.delete({ where: { id: aRevoked.id } });
    const aExpired = await db.shareLink.create({
      data: {
        id: newShareId(),
        userId: a.id,
        collectionId: aCollection.id,
        showPrompt: true,
        expiresAt: new Date(Date.now() - 60_000),
      },
    });
    const bDone = await seedFinishedGeneration(db, b.id, "B's finished job");
    const bShare = await db.shareLink.create({
      data: { id: newShareId(), userId: b.id, generationId: bDone.generation.id },
    });
    const aPreset = await db.promptPreset.create({
      data: { userId: a.id, name: `A-preset-${marker}`, settings: { prompt: `A-preset-prompt-${marker}` } },
    });

    // Strings that would only ever appear in an answer that leaked something of A's.
    const secretsOfA = [
      a.id,
      a.email!,
      aUpload.id,
      aUpload.storageKey,
      aDone.generation.id,
      aDone.output.id,
      aDone.output.storageKey,
      aRunning.generation.id,
      aRunning.token,
      `A-private-prompt-${marker}`,
      `A-running-prompt-${marker}`,
      aPurchase.checkoutSessionId,
      `A-collection-${marker}`,
      aShare.id,
      aExpired.id,
      aPreset.id,
      `A-preset-${marker}`,
      `A-preset-prompt-${marker}`,
    ];

    const generationRoute = await import("@/app/api/generations/[id]/route");
    const listRoute = await import("@/app/api/generations/route");
    const activeRoute = await import("@/app/api/generations/active/route");
    const getActive = (query = "") =>
      activeRoute.GET(new Request(`http://localhost/api/generations/active${query}`), {
        params: Promise.resolve({}),
      });
    const zipRoute = await import("@/app/api/generations/zip/route");
    const postZip = (target: unknown) =>
      zipRoute.POST(
        new Request("http://localhost/api/generations/zip", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ target: JSON.stringify(target) }).toString(),
        }),
        { params: Promise.resolve({}) },
      );
    const meRoute = await import("@/app/api/me/route");
    const mediaRoute = await import("@/app/api/media/[assetId]/[variant]/route");
    const signedRoute = await import("@/app/api/media/signed/[...key]/route");
    const uploadsRoute = await import("@/app/api/uploads/route");
    const fileSettingsRoute = await import("@/app/api/file-settings/route");
    const exportRoute = await import("@/app/api/account/export/route");
    const webhookRoute = await import("@/app/api/webhooks/[provider]/[generationId]/route");
    const authRoute = await import("@/app/api/auth/[...nextauth]/route");
    const healthRoute = await import("@/app/api/health/route");
    const sessionEndRoute = await import("@/app/api/session/end/route");
    const purchaseRoute = await import("@/app/api/billing/purchases/[id]/route");
    const billingWebhookRoute = await import("@/app/api/billing/webhook/route");
    const verifyEmailRoute = await import("@/app/api/account/verify-email/route");
    const metricsRoute = await import("@/app/api/metrics/route");
    const shareMediaRoute = await import("@/app/api/share/[shareId]/media/[assetId]/[variant]/route");
    const sharePreviewRoute = await import("@/app/api/share/[shareId]/preview/route");
    const sharePage = (await import("@/app/s/[id]/page")).default as (
      props: Record<string, unknown>,
    ) => Promise<unknown>;
    const getShared = (shareId: string, assetId: string, variant = "original") =>
      shareMediaRoute.GET(new Request(`http://localhost/api/share/${shareId}/media/${assetId}/${variant}`), {
        params: Promise.resolve({ shareId, assetId, variant }),
      });
    const getSharePreview = (shareId: string) =>
      sharePreviewRoute.GET(new Request(`http://localhost/api/share/${shareId}/preview`), {
        params: Promise.resolve({ shareId }),
      });
    const openSharePage = (id: string) => sharePage({ params: Promise.resolve({ id }) });
    type Page = (props: Record<string, unknown>) => Promise<unknown>;
    const adminPages: Record<string, Page> = {
      "admin/layout.tsx": (await import("@/app/admin/layout")).default as Page,
      "admin/page.tsx": (await import("@/app/admin/page")).default as Page,
      "admin/users/page.tsx": (await import("@/app/admin/users/page")).default as Page,
      "admin/users/[id]/page.tsx": (await import("@/app/admin/users/[id]/page")).default as Page,
      "admin/audit/page.tsx": (await import("@/app/admin/audit/page")).default as Page,
      "admin/jobs/page.tsx": (await import("@/app/admin/jobs/page")).default as Page,
      "admin/jobs/[id]/page.tsx": (await import("@/app/admin/jobs/[id]/page")).default as Page,
      "admin/resellers/page.tsx": (await import("@/app/admin/resellers/page")).default as Page,
    };
    // The job page is aimed at the user's running job; every other page at the account.
    const pageTarget = (file: string, user: { id: string }, job: { id: string }) =>
      file === "admin/jobs/[id]/page.tsx" ? job.id : user.id;
    // Props that would show A's account on each admin page, if the page let the caller in.
    const pageProps = (id: string, email: string) => ({
      params: Promise.resolve({ id }),
      searchParams: Promise.resolve({ q: email, user: email, window: "30d" }),
      children: null,
    });
    // Without METRICS_TOKEN the metrics route does not exist, for a session or not.
    const getMetrics = () =>
      metricsRoute.GET(
        new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer " } }),
        {
          params: Promise.resolve({}),
        },
      );
    // A's address "verified" with a guessed token: refused the same way as an expired link.
    const verifyAsA = () =>
      verifyEmailRoute.GET(
        new Request(
          `http://localhost/api/account/verify-email?email=${encodeURIComponent(a.email!)}&token=guessed-token`,
        ),
      );
    const linkRefused = (o: Outcome) =>
      o.kind === "response" && o.status === 303 && /verified=expired$/.test(o.headers.get("location") ?? "");
    const actions = await listServerActions();
    const action = <F>(file: string, name: string) => actions[file]![name] as F;

    const getGeneration = (id: string) =>
      generationRoute.GET(new Request(`http://localhost/api/generations/${id}`), {
        params: Promise.resolve({ id }),
      });
    const getMedia = (assetId: string, variant: string, query = "") =>
      mediaRoute.GET(new Request(`http://localhost/api/media/${assetId}/${variant}${query}`), {
        params: Promise.resolve({ assetId, variant }),
      });
    const getSigned = (key: string, query: string) =>
      signedRoute.GET(new Request(`http://localhost/api/media/signed/${key}${query}`), {
        params: Promise.resolve({ key: key.split("/") }),
      });
    const postWebhook = (provider: string, generationId: string, token: string | null, body: unknown) =>
      webhookRoute.POST(
        new Request(
          `http://localhost/api/webhooks/${provider}/${generationId}${token === null ? "" : `?token=${token}`}`,
          { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } },
        ),
        { params: Promise.resolve({ provider, generationId }) },
      );
    const upload = async () => {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(await samplePng(64, 64))], { type: "image/png" }), "b.png");
      return uploadsRoute.POST(new Request("http://localhost/api/uploads", { method: "POST", body: form }));
    };
    const readFileSettings = async () => {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(await samplePng(64, 64))], { type: "image/png" }), "b.png");
      return fileSettingsRoute.POST(
        new Request("http://localhost/api/file-settings", { method: "POST", body: form }),
      );
    };
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.set(k, v);
      return data;
    };
    const now = Math.floor(Date.now() / 1000);
    const completed = (jobId: string) => ({
      jobId,
      status: "COMPLETED",
      result: "https://cdn.example/x.png",
    });

    type Edit = (input: unknown) => Promise<unknown>;
    type ById = (input: unknown) => Promise<unknown>;
    type FormAction = (prev: unknown, data: FormData) => Promise<unknown>;
    const edit = action<Edit>("edit-image", "editImage");
    const remix = action<Edit>("remix-images", "remixImages");
    const create = action<Edit>("create-image", "createImage");
    const vary = action<ById>("vary-image", "varyImage");
    const rerun = action<ById>("rerun-batch", "rerunBatchAction");
    const deleteGeneration = action<ById>("delete-generation", "deleteGeneration");
    const setFavorite = action<ById>("set-favorite", "setFavorite");
    const deleteMany = action<ById>("delete-generations", "deleteGenerations");
    const setFavorites = action<ById>("set-favorites", "setFavorites");
    const countMatching = action<ById>("count-matching", "countMatchingGenerations");
    const setEmbedSettings = action<ById>("set-embed-settings", "setEmbedSettingsAction");
    const createCollection = action<ById>("create-collection", "createCollectionAction");
    const renameCollection = action<ById>("rename-collection", "renameCollectionAction");
    const deleteCollection = action<ById>("delete-collection", "deleteCollectionAction");
    const addToCollection = action<ById>("add-to-collection", "addToCollectionAction");
    const removeFromCollection = action<ById>("remove-from-collection", "removeFromCollectionAction");
    const createShare = action<ById>("create-share", "createShareAction");
    const revokeShare = action<ById>("revoke-share", "revokeShareAction");
    const listShares = action<ById>("list-shares", "listSharesAction");
    const savePreset = action<ById>("save-preset", "savePresetAction");
    const renamePreset = action<ById>("rename-preset", "renamePresetAction");
    const deletePreset = action<ById>("delete-preset", "deletePresetAction");
    const deleteAccount = action<ById>("delete-account", "deleteAccount");
    const signUp = action<FormAction>("sign-up", "signUpAction");
    const signIn = action<FormAction>("sign-in", "signInAction");
    const signOut = action<(data: FormData) => Promise<unknown>>("sign-out", "signOutAction");
    const signInOAuth = action<(data: FormData) => Promise<unknown>>("sign-in-oauth", "signInWithOAuth");
    const changePassword = action<Edit>("change-password", "changePasswordAction");
    const changePasswordForm = action<FormAction>("change-password", "changePasswordFormAction");
    const endSession = (method: "GET" | "POST", query = "") =>
      method === "GET"
        ? sessionEndRoute.GET(new Request(`http://localhost/api/session/end${query}`))
        : sessionEndRoute.POST(new Request(`http://localhost/api/session/end${query}`, { method: "POST" }));
    const buyCredits = action<FormAction>("buy-credits", "buyCredits");
    const redeemVoucher = action<FormAction>("redeem-voucher", "redeemVoucherAction");
    const idle = null;
    const getPurchase = (id: string) =>
      purchaseRoute.GET(new Request(`http://localhost/api/billing/purchases/${id}`), {
        params: Promise.resolve({ id }),
      });
    // An unsigned event that would credit A's pending purchase, if anything trusted it.
    const forgedPaid = () =>
      billingWebhookRoute.POST(
        new Request("http://localhost/api/billing/webhook", {
          method: "POST",
          headers: { "stripe-signature": "t=1,v1=forged" },
          body: JSON.stringify({
            id: `evt_${marker}`,
            type: "checkout.session.completed",
            data: {
              object: {
                id: aPurchase.checkoutSessionId,
                payment_status: "paid",
                metadata: { userId: a.id, packId: "100" },
              },
            },
          }),
        }),
      );

    const R = {
      generation: "api/generations/[id]/route.ts",
      list: "api/generations/route.ts",
      active: "api/generations/active/route.ts",
      zip: "api/generations/zip/route.ts",
      me: "api/me/route.ts",
      media: "api/media/[assetId]/[variant]/route.ts",
      signed: "api/media/signed/[...key]/route.ts",
      uploads: "api/uploads/route.ts",
      fileSettings: "api/file-settings/route.ts",
      export: "api/account/export/route.ts",
      webhook: "api/webhooks/[provider]/[generationId]/route.ts",
      auth: "api/auth/[...nextauth]/route.ts",
      health: "api/health/route.ts",
      sessionEnd: "api/session/end/route.ts",
      purchase: "api/billing/purchases/[id]/route.ts",
      billingWebhook: "api/billing/webhook/route.ts",
      verifyEmail: "api/account/verify-email/route.ts",
      metrics: "api/metrics/route.ts",
      shareMedia: "api/share/[shareId]/media/[assetId]/[variant]/route.ts",
      sharePreview: "api/share/[shareId]/preview/route.ts",
    };
    const route = (
      target: string,
      name: string,
      call: () => Promise<Response>,
      refused: Attempt["refused"],
    ) => ({
      target,
      name,
      run: async () => respond(await call()),
      refused,
    });
    const actionAttempt = (
      target: string,
      name: string,
      call: () => Promise<unknown>,
      refused: Attempt["refused"],
    ) => ({
      target,
      name,
      run: () => act(call),
      refused,
    });

    // Next's notFound(): the same page as a URL that does not exist.
    const pageNotFound = (o: Outcome) =>
      o.kind === "threw" && String((o.error as { digest?: string }).digest ?? "").endsWith(";404");
    const adminPageAttempts = (): Attempt[] =>
      Object.entries(adminPages).map(([file, page]) => ({
        target: `app/${file}`,
        name: `the admin page ${file}`,
        run: () => act(() => page(pageProps(pageTarget(file, a, aRunning.generation), a.email!))),
        refused: pageNotFound,
      }));

    // Admin actions, aimed at A: whoever is not an admin gets the answer of a missing thing.
    const adminAttempts = (): Attempt[] =>
      (
        [
          ["admin-grant-credits:adminGrantCredits", "grant A credits", { credits: "100", reason: "free" }],
          ["admin-revoke-credits:adminRevokeCredits", "take A's credits", { credits: "50", reason: "mine" }],
          ["admin-suspend-user:adminSuspendUser", "suspend A", { reason: "because" }],
          ["admin-unsuspend-user:adminUnsuspendUser", "lift A's suspension", {}],
          ["admin-sign-out-user:adminSignOutUser", "sign A out everywhere", {}],
        ] as const
      ).map(([target, name, fields]) => {
        const [file, exported] = target.split(":") as [string, string];
        const run = action<Edit>(file, exported);
        return actionAttempt(
          target,
          name,
          () => run({ email: a.email!, ...fields }),
          actionError("not_found"),
        );
      });

    // Admin job actions, aimed at A's running job: refunding, polling or failing it.
    const adminJobAttempts = (): Attempt[] =>
      (
        [
          ["admin-refund-job:adminRefundJob", "refund A's job", { reason: "mine now" }],
          ["admin-poll-job:adminPollJob", "poll A's job", {}],
          ["admin-fail-job:adminFailJob", "fail A's job", { reason: "it is lost" }],
        ] as const
      ).map(([target, name, fields]) => {
        const [file, exported] = target.split(":") as [string, string];
        const run = action<Edit>(file, exported);
        return actionAttempt(
          target,
          name,
          () => run({ id: aRunning.generation.id, ...fields }),
          actionError("not_found"),
        );
      });

    // The resellers' switches are the studio's, not A's: refused the same way, and left as they were.
    const resellerAttempts = (): Attempt[] => [
      actionAttempt(
        "admin-switch-reseller:adminSwitchReseller",
        "switch a reseller off",
        () =>
          action<Edit>(
            "admin-switch-reseller",
            "adminSwitchReseller",
          )({ reseller: "apiframe", enabled: "off" }),
        actionError("not_found"),
      ),
      actionAttempt(
        "admin-set-reseller-priority:adminSetResellerPriority",
        "put a reseller first in Auto",
        () =>
          action<Edit>(
            "admin-set-reseller-priority",
            "adminSetResellerPriority",
          )({
            reseller: "reveart",
            priority: "1",
          }),
        actionError("not_found"),
      ),
    ];

    // Anonymous-by-design URLs answer the same to everyone: a signature is their only key.
    const signedAttempts = (): Attempt[] => [
      route(
        R.signed,
        "A's original without a signature",
        () => getSigned(aUpload.storageKey, ""),
        status(403),
      ),
      route(
        R.signed,
        "A's original with a valid signature for B's image",
        () => getSigned(aUpload.storageKey, signMediaPath(bUpload.storageKey, now + 600, SIGNING_SECRET)),
        status(403),
      ),
      route(
        R.signed,
        "A's original with its signature and a stretched expiry",
        () =>
          getSigned(
            aUpload.storageKey,
            signMediaPath(aUpload.storageKey, now + 600, SIGNING_SECRET).replace(
              /exp=\d+/,
              `exp=${now + 99_999}`,
            ),
          ),
        status(403),
      ),
      route(
        R.signed,
        "A's original with an expired signature",
        () => getSigned(aUpload.storageKey, signMediaPath(aUpload.storageKey, now - 60, SIGNING_SECRET)),
        status(410),
      ),
      route(
        R.signed,
        "A's output with a signature made with another secret",
        () =>
          getSigned(
            aDone.output.storageKey,
            signMediaPath(aDone.output.storageKey, now + 600, "x".repeat(40)),
          ),
        status(403),
      ),
    ];
    // A webhook is authenticated by its job's token, never by a session.
    const webhookAttempts = (): Attempt[] => [
      route(
        R.webhook,
        "A's job with B's job token",
        () =>
          postWebhook(
            "apiframe",
            aRunning.generation.id,
            bRunning.token,
            completed(aRunning.generation.providerJobId!),
          ),
        status(401),
      ),
      route(
        R.webhook,
        "A's job without a token",
        () =>
          postWebhook(
            "apiframe",
            aRunning.generation.id,
            null,
            completed(aRunning.generation.providerJobId!),
          ),
        status(401),
      ),
      route(
        R.webhook,
        "A's job with a guessed token",
        () =>
          postWebhook(
            "apiframe",
            aRunning.generation.id,
            "guess",
            completed(aRunning.generation.providerJobId!),
          ),
        status(401),
      ),
      route(
        R.webhook,
        "A's job under another provider's path",
        () =>
          postWebhook("pixazo", aRunning.generation.id, bRunning.token, {
            request_id: "x",
            status: "COMPLETED",
          }),
        status(401),
      ),
    ];

    // Share links are public by design: a revoked or expired link, or B's own link aimed at A's
    // images, answers everyone exactly like a link that never existed.
    const shareAttempts = (): Attempt[] => [
      route(
        R.shareMedia,
        "A's image through A's revoked link",
        () => getShared(aRevoked.id, aDone.output.id),
        status(404),
      ),
      route(
        R.shareMedia,
        "A's image through A's expired link",
        () => getShared(aExpired.id, aDone.output.id),
        status(404),
      ),
      route(
        R.shareMedia,
        "A's image through B's own link",
        () => getShared(bShare.id, aDone.output.id),
        status(404),
      ),
      route(
        R.shareMedia,
        "A's upload through A's live link",
        () => getShared(aShare.id, aUpload.id),
        status(404),
      ),
      route(
        R.sharePreview,
        "the preview of A's revoked link",
        () => getSharePreview(aRevoked.id),
        status(404),
      ),
      route(
        R.sharePreview,
        "the preview of A's expired link",
        () => getSharePreview(aExpired.id),
        status(404),
      ),
      {
        target: "app/s/[id]/page.tsx",
        name: "the page of A's revoked link",
        run: () => act(() => openSharePage(aRevoked.id)),
        refused: pageNotFound,
      },
      {
        target: "app/s/[id]/page.tsx",
        name: "the page of A's expired link",
        run: () => act(() => openSharePage(aExpired.id)),
        refused: pageNotFound,
      },
    ];
    const emptyList = (o: Outcome) =>
      o.kind === "action" && JSON.stringify(o.value) === '{"ok":true,"data":[]}';

    // The health check is public by design: it may say only whether the service is up.
    const healthAttempt = () =>
      route(
        R.health,
        "the health check",
        () => healthRoute.GET(new Request("http://localhost/api/health")),
        (o) =>
          o.kind === "response" &&
          o.status === 200 &&
          Object.keys(JSON.parse(o.text) as object).join() === "status,database,overdueJobs",
      );
    // The account actions answer a signed-in stranger and an anonymous caller alike.
    const accountAttempts = (): Attempt[] => [
      actionAttempt(
        "sign-up:signUpAction",
        "sign up with A's email",
        () => signUp(idle, form({ email: a.email!, password: "a-new-password-for-a" })),
        formError(/already exists/),
      ),
      actionAttempt(
        "sign-in:signInAction",
        "sign in as A with a wrong password",
        () => signIn(idle, form({ email: a.email!, password: "not-a-password" })),
        formError(/Wrong email or password/),
      ),
      actionAttempt("sign-out:signOutAction", "sign out", () => signOut(new FormData()), redirectsToSignIn),
      // No OAuth provider is configured here: the button's action goes nowhere (a redirect would throw).
      actionAttempt(
        "sign-in-oauth:signInWithOAuth",
        "sign in through a provider the studio has not switched on",
        () => signInOAuth(form({ provider: "github" })),
        (o) => o.kind === "action" && o.value === undefined,
      ),
    ];
    const asB: Attempt[] = [
      healthAttempt(),
      route(R.generation, "A's finished job", () => getGeneration(aDone.generation.id), status(404)),
      route(
        R.generation,
        "A's running job (due for a poll)",
        () => getGeneration(aRunning.generation.id),
        status(404),
      ),
      route(
        R.list,
        "the gallery",
        () => listRoute.GET(new Request("http://localhost/api/generations")),
        ownDataOnly,
      ),
      route(
        R.list,
        "the gallery searched for A's prompt",
        () => listRoute.GET(new Request(`http://localhost/api/generations?q=A-private-prompt-${marker}`)),
        ownDataOnly,
      ),
      route(
        R.list,
        "the gallery filtered to running jobs",
        () => listRoute.GET(new Request("http://localhost/api/generations?status=processing")),
        ownDataOnly,
      ),
      route(R.active, "the running jobs", () => getActive(), ownDataOnly),
      route(
        R.active,
        "the running jobs and those ended since a cursor from long ago",
        () => getActive("?cursor=0.0000000000000000"),
        ownDataOnly,
      ),
      route(R.zip, "a ZIP of A's job", () => postZip({ ids: [aDone.generation.id] }), status(404)),
      route(
        R.zip,
        "a ZIP of A's job mixed in among B's own",
        () => postZip({ ids: [aDone.generation.id, bRunning.generation.id] }),
        ownDataOnly,
      ),
      route(
        R.zip,
        "a ZIP of all matching A's prompt",
        () => postZip({ all: true, filter: { q: `A-private-prompt-${marker}` } }),
        status(404),
      ),
      route(
        R.me,
        "the account summary",
        () => meRoute.GET(new Request("http://localhost/api/me")),
        ownDataOnly,
      ),
      route(
        R.export,
        "the account export",
        () => exportRoute.GET(new Request("http://localhost/api/account/export")),
        ownDataOnly,
      ),
      route(R.uploads, "an upload (lands in B's own library)", upload, ownDataOnly),
      route(R.fileSettings, "the settings inside a file B posts", readFileSettings, ownDataOnly),
      route(R.media, "A's output", () => getMedia(aDone.output.id, "original"), status(404)),
      route(R.media, "A's output thumbnail", () => getMedia(aDone.output.id, "thumb"), status(404)),
      route(
        R.media,
        "A's output download",
        () => getMedia(aDone.output.id, "original", "?download=1"),
        status(404),
      ),
      route(R.media, "A's upload", () => getMedia(aUpload.id, "original"), status(404)),
      route(R.media, "A's upload thumbnail", () => getMedia(aUpload.id, "thumb"), status(404)),
      ...signedAttempts(),
      ...webhookAttempts(),
      actionAttempt(
        "edit-image:editImage",
        "edit A's upload",
        () => edit({ prompt: "x", assetId: aUpload.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "edit-image:editImage",
        "edit A's output",
        () => edit({ prompt: "x", assetId: aDone.output.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "edit-image:editImage",
        "edit continuing A's job",
        () => edit({ prompt: "x", assetId: bUpload.id, parentId: aDone.generation.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "remix-images:remixImages",
        "remix A's upload",
        () => remix({ prompt: "x", assetIds: [aUpload.id] }),
        actionError("not_found"),
      ),
      actionAttempt(
        "remix-images:remixImages",
        "remix B's upload with A's output",
        () => remix({ prompt: "x", assetIds: [bUpload.id, aDone.output.id] }),
        actionError("not_found"),
      ),
      actionAttempt(
        "remix-images:remixImages",
        "remix continuing A's job",
        () => remix({ prompt: "x", assetIds: [bUpload.id], parentId: aDone.generation.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "delete-generation:deleteGeneration",
        "delete A's finished job",
        () => deleteGeneration(aDone.generation.id),
        actionError("not_found"),
      ),
      actionAttempt(
        "delete-generation:deleteGeneration",
        "delete A's running job",
        () => deleteGeneration(aRunning.generation.id),
        actionError("not_found"),
      ),
      actionAttempt(
        "set-favorite:setFavorite",
        "favorite A's job",
        () => setFavorite({ id: aDone.generation.id, favorite: true }),
        actionError("not_found"),
      ),
      actionAttempt(
        "vary-image:varyImage",
        "vary A's image",
        () => vary({ id: aDone.generation.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "rerun-batch:rerunBatchAction",
        "re-run A's batch",
        () => rerun({ batchId: aBatch }),
        actionError("not_found"),
      ),
      actionAttempt(
        "delete-generations:deleteGenerations",
        "bulk delete with A's jobs mixed in among B's own",
        () => deleteMany({ ids: [aDone.generation.id, aRunning.generation.id, bRunning.generation.id] }),
        actionData({ deleted: 0, kept: 0, running: 1, ignored: 2 }),
      ),
      actionAttempt(
        "delete-generations:deleteGenerations",
        "bulk delete of all matching A's prompt",
        () => deleteMany({ all: true, filter: { q: `A-private-prompt-${marker}` } }),
        actionData({ deleted: 0, ignored: 0 }),
      ),
      actionAttempt(
        "set-favorites:setFavorites",
        "bulk favorite with A's job mixed in",
        () =>
          setFavorites({ target: { ids: [aDone.generation.id, bRunning.generation.id] }, favorite: true }),
        actionData({ changed: 1, ignored: 1 }),
      ),
      actionAttempt(
        "set-favorites:setFavorites",
        "bulk favorite of all matching A's prompt",
        () =>
          setFavorites({
            target: { all: true, filter: { q: `A-private-prompt-${marker}` } },
            favorite: true,
          }),
        actionData({ changed: 0, ignored: 0 }),
      ),
      actionAttempt(
        "count-matching:countMatchingGenerations",
        "count the images matching A's prompt",
        () => countMatching({ q: `A-private-prompt-${marker}` }),
        actionData(0),
      ),
      actionAttempt(
        "set-embed-settings:setEmbedSettingsAction",
        "turn off settings inside downloads (B's own switch)",
        () => setEmbedSettings({ embedSettings: false }),
        actionData({ embedSettings: false }),
      ),
      actionAttempt(
        "create-collection:createCollectionAction",
        "create a collection (lands in B's own list)",
        () => createCollection({ name: "B's new board" }),
        actionData({ name: "B's new board", count: 0 }),
      ),
      actionAttempt(
        "rename-collection:renameCollectionAction",
        "rename A's collection",
        () => renameCollection({ id: aCollection.id, name: "taken" }),
        actionError("not_found"),
      ),
      actionAttempt(
        "delete-collection:deleteCollectionAction",
        "delete A's collection",
        () => deleteCollection({ id: aCollection.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "add-to-collection:addToCollectionAction",
        "add B's job to A's collection",
        () => addToCollection({ id: aCollection.id, target: { ids: [bRunning.generation.id] } }),
        actionError("not_found"),
      ),
      actionAttempt(
        "add-to-collection:addToCollectionAction",
        "add A's job to B's own collection",
        () => addToCollection({ id: bCollection.id, target: { ids: [aDone.generation.id] } }),
        actionData({ changed: 0, ignored: 1 }),
      ),
      actionAttempt(
        "remove-from-collection:removeFromCollectionAction",
        "take A's job out of A's collection",
        () => removeFromCollection({ id: aCollection.id, target: { ids: [aDone.generation.id] } }),
        actionError("not_found"),
      ),
      actionAttempt(
        "create-share:createShareAction",
        "share A's image",
        () => createShare({ target: { kind: "generation", id: aDone.generation.id }, showPrompt: true }),
        actionError("not_found"),
      ),
      actionAttempt(
        "create-share:createShareAction",
        "share A's collection",
        () => createShare({ target: { kind: "collection", id: aCollection.id }, showPrompt: true }),
        actionError("not_found"),
      ),
      actionAttempt(
        "revoke-share:revokeShareAction",
        "revoke A's link",
        () => revokeShare({ id: aShare.id }),
        actionError("not_found"),
      ),
      actionAttempt(
        "list-shares:listSharesAction",
        "list the links to A's image",
        () => listShares({ target: { kind: "generation", id: aDone.generation.id } }),
        emptyList,
      ),
      actionAttempt(
        "save-preset:savePresetAction",
        "save a preset (lands in B's own list)",
        () => savePreset({ name: "B's own preset", settings: { prompt: "B's own prompt" } }),
        actionData({ name: "B's own preset" }),
      ),
      actionAttempt(
        "rename-preset:renamePresetAction",
        "rename A's preset",
        () => renamePreset({ id: aPreset.id, name: "taken" }),
        actionError("not_found"),
      ),
      actionAttempt(
        "delete-preset:deletePresetAction",
        "delete A's preset",
        () => deletePreset({ id: aPreset.id }),
        actionError("not_found"),
      ),
      ...shareAttempts(),
      route(
        R.list,
        "the gallery filtered to A's collection",
        () => listRoute.GET(new Request(`http://localhost/api/generations?collection=${aCollection.id}`)),
        ownDataOnly,
      ),
      actionAttempt(
        "delete-account:deleteAccount",
        "delete the account typing A's email",
        () => deleteAccount(a.email!),
        actionError("invalid_input"),
      ),
      actionAttempt(
        "change-password:changePasswordAction",
        "change the password giving A's",
        () => changePassword({ currentPassword: "owner-password-1", newPassword: "a-new-password-for-a" }),
        actionError("invalid_input"),
      ),
      actionAttempt(
        "change-password:changePasswordFormAction",
        "change the password through the form giving A's",
        () =>
          changePasswordForm(
            idle,
            form({ currentPassword: "owner-password-1", newPassword: "a-new-password-for-a" }),
          ),
        actionError("invalid_input"),
      ),
      // B's own sessions end; A's version (in A's row) stays as it was.
      route(
        R.sessionEnd,
        "sign out everywhere",
        () => endSession("POST", "?everywhere=1"),
        redirectsTo("/sign-in"),
      ),
      route(
        R.sessionEnd,
        "the link that clears an ended session",
        () => endSession("GET"),
        redirectsTo("/create"),
      ),
      route(R.purchase, "A's purchase", () => getPurchase(aPurchase.checkoutSessionId), status(404)),
      route(R.billingWebhook, "a forged Stripe event paying A's purchase", forgedPaid, status(400, 404)),
      route(R.verifyEmail, "verify A's email with a guessed token", verifyAsA, linkRefused),
      actionAttempt(
        "buy-credits:buyCredits",
        "buy a pack (for B alone; this studio sells none)",
        () => buyCredits(idle, form({ packId: "100" })),
        actionError("not_found"),
      ),
      actionAttempt(
        "redeem-voucher:redeemVoucherAction",
        "redeem a made-up voucher",
        () => redeemVoucher(idle, form({ code: "ABCD-EFGH-JKMN" })),
        actionError("invalid_input"),
      ),
      ...accountAttempts(),
      ...adminAttempts(),
      ...adminJobAttempts(),
      ...resellerAttempts(),
      route(R.metrics, "the metrics", getMetrics, status(404)),
      ...adminPageAttempts(),
    ];

    const anonymous: Attempt[] = [
      healthAttempt(),
      route(R.generation, "A's finished job", () => getGeneration(aDone.generation.id), status(401)),
      route(R.generation, "A's running job", () => getGeneration(aRunning.generation.id), status(401)),
      route(
        R.list,
        "the gallery",
        () => listRoute.GET(new Request("http://localhost/api/generations")),
        status(401),
      ),
      route(R.active, "the running jobs", () => getActive(), status(401)),
      route(R.zip, "a ZIP of A's job", () => postZip({ ids: [aDone.generation.id] }), status(401)),
      route(
        R.me,
        "the account summary",
        () => meRoute.GET(new Request("http://localhost/api/me")),
        status(401),
      ),
      route(
        R.export,
        "the account export",
        () => exportRoute.GET(new Request("http://localhost/api/account/export")),
        status(401),
      ),
      route(R.uploads, "an upload", upload, status(401)),
      route(R.fileSettings, "the settings inside a posted file", readFileSettings, status(401)),
      route(R.media, "A's output", () => getMedia(aDone.output.id, "original"), status(401)),
      route(
        R.media,
        "A's output download",
        () => getMedia(aDone.output.id, "original", "?download=1"),
        status(401),
      ),
      route(R.media, "A's upload thumbnail", () => getMedia(aUpload.id, "thumb"), status(401)),
      route(
        R.auth,
        "the Auth.js session",
        () => authRoute.GET(new Request("http://localhost:3000/api/auth/session") as never),
        (o) => o.kind === "response" && o.status === 200 && o.text.trim() === "null",
      ),
      ...signedAttempts(),
      ...webhookAttempts(),
      actionAttempt(
        "create-image:createImage",
        "create",
        () => create({ prompt: "a cat" }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "edit-image:editImage",
        "edit A's upload",
        () => edit({ prompt: "x", assetId: aUpload.id }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "remix-images:remixImages",
        "remix A's upload",
        () => remix({ prompt: "x", assetIds: [aUpload.id] }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "delete-generation:deleteGeneration",
        "delete A's job",
        () => deleteGeneration(aDone.generation.id),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "set-favorite:setFavorite",
        "favorite A's job",
        () => setFavorite({ id: aDone.generation.id, favorite: true }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "vary-image:varyImage",
        "vary A's image",
        () => vary({ id: aDone.generation.id }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "rerun-batch:rerunBatchAction",
        "re-run A's batch",
        () => rerun({ batchId: aBatch }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "delete-generations:deleteGenerations",
        "bulk delete A's job",
        () => deleteMany({ ids: [aDone.generation.id] }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "set-favorites:setFavorites",
        "bulk favorite A's job",
        () => setFavorites({ target: { ids: [aDone.generation.id] }, favorite: true }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "count-matching:countMatchingGenerations",
        "count the gallery",
        () => countMatching({}),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "set-embed-settings:setEmbedSettingsAction",
        "turn off settings inside downloads",
        () => setEmbedSettings({ embedSettings: false }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "create-collection:createCollectionAction",
        "create a collection",
        () => createCollection({ name: "x" }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "rename-collection:renameCollectionAction",
        "rename A's collection",
        () => renameCollection({ id: aCollection.id, name: "taken" }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "delete-collection:deleteCollectionAction",
        "delete A's collection",
        () => deleteCollection({ id: aCollection.id }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "add-to-collection:addToCollectionAction",
        "add A's job to A's collection",
        () => addToCollection({ id: aCollection.id, target: { ids: [aDone.generation.id] } }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "remove-from-collection:removeFromCollectionAction",
        "take A's job out of A's collection",
        () => removeFromCollection({ id: aCollection.id, target: { ids: [aDone.generation.id] } }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "create-share:createShareAction",
        "share A's image",
        () => createShare({ target: { kind: "generation", id: aDone.generation.id }, showPrompt: true }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "revoke-share:revokeShareAction",
        "revoke A's link",
        () => revokeShare({ id: aShare.id }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "list-shares:listSharesAction",
        "list the links to A's image",
        () => listShares({ target: { kind: "generation", id: aDone.generation.id } }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "save-preset:savePresetAction",
        "save a preset",
        () => savePreset({ name: "x", settings: { prompt: "x" } }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "rename-preset:renamePresetAction",
        "rename A's preset",
        () => renamePreset({ id: aPreset.id, name: "taken" }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "delete-preset:deletePresetAction",
        "delete A's preset",
        () => deletePreset({ id: aPreset.id }),
        actionError("unauthorized"),
      ),
      ...shareAttempts(),
      actionAttempt(
        "delete-account:deleteAccount",
        "delete an account typing A's email",
        () => deleteAccount(a.email!),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "change-password:changePasswordAction",
        "change a password giving A's",
        () => changePassword({ currentPassword: "owner-password-1", newPassword: "a-new-password-for-a" }),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "change-password:changePasswordFormAction",
        "change a password through the form",
        () =>
          changePasswordForm(
            idle,
            form({ currentPassword: "owner-password-1", newPassword: "a-new-password-for-a" }),
          ),
        actionError("unauthorized"),
      ),
      route(
        R.sessionEnd,
        "sign out everywhere",
        () => endSession("POST", "?everywhere=1"),
        redirectsTo("/sign-in"),
      ),
      route(
        R.sessionEnd,
        "the link that clears an ended session",
        () => endSession("GET"),
        redirectsTo("/sign-in"),
      ),
      route(R.purchase, "A's purchase", () => getPurchase(aPurchase.checkoutSessionId), status(401)),
      route(R.billingWebhook, "a forged Stripe event paying A's purchase", forgedPaid, status(400, 404)),
      route(R.verifyEmail, "verify A's email with a guessed token", verifyAsA, linkRefused),
      actionAttempt(
        "buy-credits:buyCredits",
        "buy a pack",
        () => buyCredits(idle, form({ packId: "100" })),
        actionError("unauthorized"),
      ),
      actionAttempt(
        "redeem-voucher:redeemVoucherAction",
        "redeem a voucher",
        () => redeemVoucher(idle, form({ code: "ABCD-EFGH-JKMN" })),
        actionError("unauthorized"),
      ),
      ...accountAttempts(),
      ...adminAttempts(),
      ...adminJobAttempts(),
      ...resellerAttempts(),
      route(R.metrics, "the metrics", getMetrics, status(404)),
      ...adminPageAttempts(),
    ];

    // The same calls work for their owner, so B's refusals come from ownership, not from a broken call.
    signInAs(a);
    const controls = [
      (await getGeneration(aDone.generation.id)).status === 200,
      (await getMedia(aDone.output.id, "original")).status === 200,
      (await getMedia(aUpload.id, "thumb")).status === 200,
      (await getSigned(aUpload.storageKey, signMediaPath(aUpload.storageKey, now + 600, SIGNING_SECRET)))
        .status === 200,
      (await respond(await listRoute.GET(new Request("http://localhost/api/generations")))).kind ===
        "response",
      ((await setFavorite({ id: aDone.generation.id, favorite: false })) as { ok: boolean }).ok,
      actionData(1)({ kind: "action", value: await countMatching({ q: `A-private-prompt-${marker}` }) }),
      (await getPurchase(aPurchase.checkoutSessionId)).status === 200,
      // A's live link serves A's image to anyone, and the link's owner sees it listed.
      (await getShared(aShare.id, aDone.output.id)).status === 200,
      (await getSharePreview(aShare.id)).status === 200,
      (await act(() => openSharePage(aShare.id))).kind === "action",
      JSON.stringify(await listShares({ target: { kind: "generation", id: aDone.generation.id } })).includes(
        aShare.id,
      ),
    ];
    const ownExport = await respond(
      await exportRoute.GET(new Request("http://localhost/api/account/export")),
    );
    controls.push(ownExport.kind === "response" && ownExport.text.includes(aDone.generation.id));
    // An admin gets through the same admin actions (aimed at B, so A's snapshot stays the baseline).
    const admin = await db.user.create({ data: { email: `admin-${marker}@example.test`, role: "admin" } });
    signInAs(admin);
    for (const attempt of adminAttempts()) {
      const [file, exported] = attempt.target.split(":") as [string, string];
      const fields = attempt.name.includes("credits")
        ? { credits: "1", reason: "a control" }
        : { reason: "a control" };
      const result = (await action<Edit>(file, exported)({ email: b.email!, ...fields })) as { ok: boolean };
      controls.push(result.ok);
    }
    // The job actions let an admin through: on B's finished job each is refused for its state, not
    // as missing (no provider is called), and failing a fresh running job of B's succeeds.
    const bFinished = await seedFinishedGeneration(db, b.id, "B's finished job");
    for (const attempt of adminJobAttempts()) {
      const [file, exported] = attempt.target.split(":") as [string, string];
      const result = (await action<Edit>(
        file,
        exported,
      )({ id: bFinished.generation.id, reason: "a control" })) as {
        error?: { code?: string };
      };
      controls.push(result.error?.code === "invalid_input");
    }
    const bLost = await seedRunningGeneration(db, b.id, {
      prompt: "B's lost job",
      providerJobId: `af-b2-${marker}`,
    });
    const failed = (await action<Edit>(
      "admin-fail-job",
      "adminFailJob",
    )({
      id: bLost.generation.id,
      reason: "a control",
    })) as { ok: boolean };
    controls.push(failed.ok);
    const switched = (await action<Edit>(
      "admin-switch-reseller",
      "adminSwitchReseller",
    )({ reseller: "pixazo", enabled: "off" })) as { ok: boolean };
    const prioritized = (await action<Edit>(
      "admin-set-reseller-priority",
      "adminSetResellerPriority",
    )({ reseller: "pixazo", priority: "3" })) as { ok: boolean };
    controls.push(switched.ok, prioritized.ok);
    for (const [file, page] of Object.entries(adminPages)) {
      const shown = await act(() => page(pageProps(pageTarget(file, b, bRunning.generation), b.email!)));
      controls.push(shown.kind === "action" && shown.value !== null);
    }
    expect(controls.every(Boolean)).toBe(true);

    const baseline = await snapshotUser(db, a.id);
    const resellerSwitches = async () => JSON.stringify(await db.resellerSetting.findMany());
    const switchesBaseline = await resellerSwitches();
    const leaks: string[] = [];
    const check = async (who: string, attempts: Attempt[]) => {
      for (const attempt of attempts) {
        const outcome = await attempt.run();
        const label = `${who}: ${attempt.name} (${attempt.target})`;
        if (!attempt.refused(outcome)) leaks.push(`${label}: not refused ${summarize(outcome)}`);
        const shown =
          outcome.kind === "response"
            ? `${outcome.text} ${[...outcome.headers].join(" ")}`
            : JSON.stringify(outcome);
        const exposed = secretsOfA.filter((s) => shown.includes(s));
        if (exposed.length > 0) leaks.push(`${label}: answer shows ${exposed.length} of A's values`);
        if ((await snapshotUser(db, a.id)) !== baseline) leaks.push(`${label}: changed A's data`);
        if (tripwire.calls.length > 0) leaks.push(`${label}: reached a provider`);
        tripwire.calls.length = 0;
      }
    };
    signInAs(b);
    await check("B", asB);
    signOutAll();
    await check("anonymous", anonymous);

    // Every route handler and every server action is in the matrix.
    const covered = new Set([...asB, ...anonymous].map((x) => x.target));
    const routes = await listRouteFiles();
    const actionTargets = Object.entries(actions).flatMap(([file, mod]) =>
      Object.entries(mod)
        .filter(([, v]) => typeof v === "function")
        .map(([name]) => `${file}:${name}`),
    );
    expect([...routes, ...actionTargets].filter((target) => !covered.has(target))).toEqual([]);
    const adminFiles = (await readdir(path.resolve("app/admin"), { recursive: true }))
      .filter((f) => /(page|layout)\.tsx$/.test(f))
      .map((f) => `app/admin/${f}`);
    expect(adminFiles.filter((target) => !covered.has(target))).toEqual([]);

    const total = asB.length + anonymous.length;
    console.info(
      `authorization matrix (${kind}): ${total} attempts (${asB.length} as user B, ${anonymous.length} anonymous) ` +
        `over ${routes.length} route handlers and ${actionTargets.length} server actions, ${leaks.length} leaks; ` +
        `owner controls ${controls.filter(Boolean).length}/${controls.length} served`,
    );
    if ((await resellerSwitches()) !== switchesBaseline) leaks.push("the resellers' switches changed");
    expect(leaks).toEqual([]);
  }, 240_000);
});

function summarize(outcome: Outcome): string {
  if (outcome.kind === "response") return `HTTP ${outcome.status} ${outcome.text.slice(0, 120)}`;
  if (outcome.kind === "action") return JSON.stringify(outcome.value).slice(0, 160);
  return `threw ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
}
