import { randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import type { ProviderId } from "@/lib/domain";

import { preparePglite } from "../reliability/support/database";
import {
  callAction,
  Client,
  freePort,
  readServerActions,
  startStudioServer,
  type ServerAction,
  type StudioServer,
} from "../reliability/support/studio-server";
import { crawl, type Crawled, findSecrets, headerProblems, linkedAssets, secretForms } from "./support/crawl";
import { startHostileReseller, UPSTREAM_PHRASES } from "./support/hostile-reseller";
import { samplePng } from "../fixtures/images";

// The production build, made with sentinel secrets (tests/reliability/support/build-app.ts), run as
// a real server: the sentinels appear nowhere under .next/static, in no answer to a signed-in or an
// anonymous visitor, in no header and in nothing the server prints while its jobs fail every way
// they can; every answer carries the security headers; server actions posted from a foreign
// Origin are refused; and guessing passwords on Auth.js's endpoint is limited.

const build = inject("stressBuild");
const S = build.sentinels;
const KEYS: Record<ProviderId, string> = {
  pixazo: S.PIXAZO_API_KEY!,
  apiframe: S.APIFRAME_API_KEY!,
  reve2img: S.REVE2IMG_API_KEY!,
  reveart: S.REVEART_API_KEY!,
};
const PASSWORD = "built-server-password-1";
const forms = secretForms(S);

describe("the built studio, running", () => {
  const dataDir = path.resolve(`data/stress-secrets-${randomBytes(4).toString("hex")}`);
  const email = (tag: string) => `${tag}-${randomBytes(3).toString("hex")}@example.test`;
  const users = { a: email("owner"), c: email("guessed") };
  let emulator: EmulatorHandle;
  let hostile: Awaited<ReturnType<typeof startHostileReseller>>;
  let server: StudioServer;
  let actions: Record<string, ServerAction>;
  let owner: Client;
  const generations: string[] = [];

  beforeAll(async () => {
    await preparePglite(dataDir, [
      { email: users.a, password: PASSWORD, credits: 100 },
      { email: users.c, password: PASSWORD, credits: 10 },
    ]);
    emulator = await startEmulator({
      jobMs: 600,
      printRequests: false,
      webhookHttpsToHttp: true,
      pixazoKey: KEYS.pixazo,
      apiframeKey: KEYS.apiframe,
      reve2imgKey: KEYS.reve2img,
      reveartKey: KEYS.reveart,
    });
    hostile = await startHostileReseller(KEYS);
    const port = await freePort();
    server = await startStudioServer(
      build,
      {
        ...S,
        AUTH_GITHUB_ID: "stress-github-id",
        AUTH_GOOGLE_ID: "stress-google-id",
        DATA_DIR: dataDir,
        REVE_EMULATOR: "off",
        PIXAZO_BASE_URL: `${emulator.url}/pixazo`,
        APIFRAME_BASE_URL: `${emulator.url}/apiframe`,
        REVE2IMG_BASE_URL: `${emulator.url}/reve2img`,
        REVE2IMG_CREATE_MODEL: "reve-image",
        REVE2IMG_EDIT_MODEL: "reve-edit",
        REVE2IMG_REMIX_MODEL: "reve-remix",
        // Its documented 10 a minute would hold back this test's burst of submits and polls.
        REVEART_REQUESTS_PER_MINUTE: "600",
        // reve-art is the hostile one: every answer it gives quotes its key.
        REVEART_BASE_URL: `${hostile.url}/reveart`,
        MEDIA_FETCH_ALLOW_HOSTS: new URL(emulator.url).host,
        WEBHOOK_BASE_URL: `https://127.0.0.1:${port}`,
        POLLER_INTERVAL_MS: "300",
        PROVIDER_TIMEOUT_MS: "5000",
        MAX_JOBS_IN_FLIGHT: "50",
        RATE_LIMIT_SUBMITS_PER_MINUTE: "100",
      },
      { port },
    );
    actions = await readServerActions(build);
    owner = new Client(server.url);
    expect(await owner.signIn(users.a, PASSWORD)).toBe(true);
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([emulator?.close(), hostile?.close()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("its jobs run and fail in every way, through server actions over HTTP", async () => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await samplePng(320, 200))], { type: "image/png" }), "in.png");
    const uploaded = await owner.fetch("/api/uploads", { method: "POST", body: form });
    expect(uploaded.status).toBe(201);
    const { asset } = (await uploaded.json()) as { asset: { id: string } };

    const submits: [keyof typeof actions, unknown][] = [
      ["createImage", { prompt: "a lighthouse at dusk", provider: "apiframe" }],
      ["createImage", { prompt: "a lighthouse at dawn", provider: "reve2img", aspectRatio: "16:9" }],
      ["editImage", { prompt: "make it night", assetId: asset.id, provider: "pixazo" }],
      ["remixImages", { prompt: "blend", assetIds: [asset.id], provider: "pixazo" }],
      ["createImage", { prompt: "a storm [emu:fail]", provider: "apiframe" }],
      ["createImage", { prompt: "a storm [emu:500]", provider: "apiframe" }],
      ["createImage", { prompt: "a storm [emu:401]", provider: "reve2img" }],
      ["createImage", { prompt: "a storm [emu:malformed]", provider: "reve2img" }],
      ["createImage", { prompt: "a storm [emu:policy]", provider: "reve2img" }],
      ["editImage", { prompt: "a storm [emu:error]", assetId: asset.id, provider: "pixazo" }],
      ...[
        "http500",
        "http401",
        "http400policy",
        "http502html",
        "garbage200",
        "statusFailed",
        "status401",
      ].map(
        (scenario) =>
          ["createImage", { prompt: `a harbour case:${scenario}`, provider: "reveart" }] as [string, unknown],
      ),
      ["createImage", { prompt: "" }],
    ];
    for (const [name, input] of submits) {
      const call = await callAction(owner, actions[name]!, [input]);
      expect(call.status, JSON.stringify(input)).toBe(200);
      const result = call.result as {
        ok: boolean;
        data?: { generationId: string };
        error?: { code: string };
      };
      expect(
        result.ok || result.error?.code === "invalid_input",
        `${JSON.stringify(input)} → ${call.body}`,
      ).toBe(true);
      if (result.ok) generations.push(result.data!.generationId);
    }
    expect(generations.length).toBe(submits.length - 1);
    // A refused status read (status401) says nothing about the job, which may still finish at the
    // reseller: it keeps running until its deadline. Every other job ends.
    const refusedReads =
      generations[submits.findIndex(([, input]) => JSON.stringify(input).includes("case:status401"))]!;
    const ending = generations.filter((g) => g !== refusedReads);

    const deadline = Date.now() + 60_000;
    const states = new Map<string, string>();
    while (Date.now() < deadline && states.size < ending.length) {
      for (const id of ending.filter((g) => !states.has(g))) {
        const job = (await (await owner.fetch(`/api/generations/${id}`)).json()) as { status: string };
        if (job.status === "succeeded" || job.status === "failed") states.set(id, job.status);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(states.size).toBe(ending.length);
    const running = (await (await owner.fetch(`/api/generations/${refusedReads}`)).json()) as {
      status: string;
    };
    expect(["queued", "processing"]).toContain(running.status);
    const succeeded = [...states.values()].filter((s) => s === "succeeded").length;
    expect(succeeded).toBe(4);
    console.info(
      `built server: ${generations.length} jobs over HTTP server actions, ${succeeded} succeeded, ` +
        `${ending.length - succeeded} failed, 1 kept running through refused status reads ` +
        `(emulator markers and a hostile reseller quoting its key)`,
    );
  });

  it("no secret under .next/static, nor in any answer or header", async () => {
    // What the browser can ever download: every file of the build's static folder.
    const staticDir = path.join(build.dir, ".next", "static");
    const files = (await readdir(staticDir, { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    let bytes = 0;
    const inStatic: string[] = [];
    for (const file of files) {
      const content = await readFile(path.join(file.parentPath, file.name));
      bytes += content.length;
      for (const name of findSecrets(content.toString("latin1"), forms))
        inStatic.push(`${file.name}: ${name}`);
    }
    expect(files.length).toBeGreaterThan(10);
    expect(inStatic).toEqual([]);

    const anonymous = new Client(server.url);
    const pages = [
      "/",
      "/sign-in",
      "/sign-up",
      "/create",
      "/create/edit",
      "/create/remix",
      "/gallery",
      "/account",
      "/no-such-page",
    ];
    const answers: Crawled[] = [];
    const visit = async (client: Client, who: string, target: string, init?: RequestInit) => {
      const answer = await crawl(client, `${init?.method ?? "GET"} ${target} (${who})`, target, init);
      answers.push(answer);
      return answer;
    };
    const assets = new Set<string>();
    for (const [who, client] of [
      ["owner", owner],
      ["anonymous", anonymous],
    ] as const) {
      for (const page of [...pages, `/gallery/${generations[0]}`]) {
        const html = await visit(client, who, page);
        for (const asset of linkedAssets(html.text)) assets.add(asset);
        await visit(client, who, page, { headers: { rsc: "1" } });
      }
      const api = [
        "/api/me",
        "/api/generations",
        "/api/generations?status=failed",
        ...generations.map((id) => `/api/generations/${id}`),
        "/api/account/export",
        "/api/auth/session",
        "/api/auth/csrf",
        "/api/auth/providers",
        "/api/auth/signin",
        "/api/auth/error?error=Configuration",
        "/api/media/signed/users/x/y/original.png?exp=1&sig=x",
      ];
      for (const target of api) await visit(client, who, target);
      const list = (await (await owner.fetch("/api/generations")).json()) as {
        items: { outputs: { url: string; thumbUrl: string; downloadUrl: string }[] }[];
      };
      for (const output of list.items.flatMap((g) => g.outputs)) {
        for (const url of [output.url, output.thumbUrl, output.downloadUrl]) await visit(client, who, url);
      }
      await visit(client, who, `/api/webhooks/apiframe/${generations[0]}?token=guess`, {
        method: "POST",
        body: "{}",
      });
      await visit(client, who, `/api/webhooks/pixazo/${generations[0]}`, {
        method: "POST",
        body: "not json",
      });
    }
    for (const asset of assets) await visit(anonymous, "anonymous", asset);

    const exposed = answers.flatMap((a) =>
      findSecrets(`${a.text}\n${[...a.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}`, forms).map(
        (name) => `${a.label}: ${name}`,
      ),
    );
    expect(exposed).toEqual([]);
    // Nor anything of the hostile reseller's bodies: its marker nowhere, its wording in no JSON answer
    // (pages are HTML, so "<html>" and the like are only looked for where they cannot belong).
    const quoted = answers.flatMap((a) => {
      const phrases = a.contentType.includes("json") ? UPSTREAM_PHRASES : [];
      return [hostile.upstream, ...phrases]
        .filter((p) => a.text.toLowerCase().includes(p.toLowerCase()))
        .map((p) => `${a.label}: ${p}`);
    });
    expect(quoted).toEqual([]);

    console.info(
      `secrets: ${Object.keys(S).length} sentinels (${forms.size} encodings) → 0 in ${files.length} files ` +
        `(${(bytes / 1024 / 1024).toFixed(1)} MB) under .next/static, 0 in ${answers.length} answers ` +
        `(bodies and headers, signed in and anonymous, ${assets.size} built assets)`,
    );

    const problems = answers.flatMap((a) => headerProblems(a).map((p) => `${a.label}: ${p}`));
    expect(problems).toEqual([]);
    const media = answers.filter((a) => a.label.includes("/api/media/") && a.status === 200);
    expect(media.length).toBeGreaterThan(0);
    for (const answer of media) {
      expect(answer.headers.get("content-disposition")).toMatch(
        /^(inline|attachment); filename="reve-[^"]+"$/,
      );
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("content-security-policy")).toMatch(/default-src 'none'.*; sandbox/);
    }
    const html = answers.filter((a) => a.contentType.startsWith("text/html") && !/ \/api\//.test(a.label));
    const nonces = new Set(
      html.map((a) => /'nonce-([^']+)'/.exec(a.headers.get("content-security-policy")!)?.[1]),
    );
    expect(nonces.size).toBe(html.length);
    console.info(
      `headers: ${answers.length} answers all carry nosniff, Referrer-Policy, X-Frame-Options DENY and ` +
        `Permissions-Policy; ${html.length} pages a CSP with a fresh nonce on every script; ` +
        `${media.length} media answers Content-Disposition, nosniff and default-src 'none'; sandbox`,
    );
  });

  it("refuses server actions posted from a foreign Origin, and changes nothing", async () => {
    const state = async () => {
      const me = (await (await owner.fetch("/api/me")).json()) as { credits: number };
      const list = (await (await owner.fetch("/api/generations?take=100")).json()) as {
        items: { id: string; favorite: boolean; elapsedMs?: number }[];
      };
      // A job still running (its status reads refused) ages between two reads: its clock is not state.
      const items = list.items.map(({ elapsedMs: _elapsed, ...rest }) => rest);
      return JSON.stringify({ credits: me.credits, items });
    };
    const before = await state();
    const origins = [
      "https://evil.example",
      `http://127.0.0.1.evil.example`,
      `http://127.0.0.1:${server.port + 1}`,
      "null",
    ];
    const calls: [ServerAction, unknown[]][] = [
      [actions.createImage!, [{ prompt: "a forged job", provider: "apiframe" }]],
      [actions.setFavorite!, [{ id: generations[0], favorite: true }]],
      [actions.deleteGeneration!, [generations[0]]],
    ];
    let refused = 0;
    for (const origin of origins) {
      for (const [action, args] of calls) {
        const call = await callAction(owner, action, args, { origin });
        const result = call.result as { ok?: boolean } | undefined;
        if (call.status >= 400 && result?.ok !== true) refused++;
        expect(await state()).toBe(before);
      }
    }
    expect(refused).toBe(origins.length * calls.length);
    expect(server.output()).toMatch(/does not match `origin` header/);
    // The very same call from the studio's own origin goes through.
    const same = await callAction(owner, actions.setFavorite!, [{ id: generations[0], favorite: true }]);
    expect(same.result).toEqual({ ok: true, data: { favorite: true } });
    console.info(
      `server actions from a foreign Origin: ${refused}/${origins.length * calls.length} refused ` +
        `(${origins.length} origins × ${calls.length} actions), nothing changed; the same call from the studio's origin is accepted`,
    );
  });

  it("limits password guessing on Auth.js's own endpoint", async () => {
    const attacker = new Client(server.url);
    for (let i = 1; i <= 10; i++) expect(await attacker.signIn(users.c, `guess-${i}-xxxxxx`)).toBe(false);
    expect(await attacker.signIn(users.c, PASSWORD)).toBe(false);
    console.info(
      "sign-in limit (running server): 10 guesses, the 11th with the right password gets no session",
    );
  });

  it("printed no secret while all of that happened, nor did its build", async () => {
    const output = server.output();
    const buildLog = await readFile(path.join(build.dir, "build.log"), "utf8").catch(() => "");
    expect(findSecrets(output, forms)).toEqual([]);
    expect(findSecrets(buildLog, forms)).toEqual([]);
    expect(output.includes(hostile.upstream)).toBe(false);
    // The failures above did reach the log (the refused origins), so there was output to search.
    expect(output).toMatch(/Invalid Server Actions request/);
    console.info(
      `server output: 0 secrets in ${output.split("\n").length} lines after ${generations.length} jobs, ` +
        `refused actions and guessed passwords; 0 in ${buildLog.split("\n").length} lines of build output`,
    );
  });
});
