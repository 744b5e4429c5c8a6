import { useAppDb } from "./support/app-db";

import { decode, encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";

import { createTestDb, type TestDb } from "../helpers/test-db";
import { clearCookies, cookies } from "./support/next-headers-mock";

vi.mock("next/headers", () => import("./support/next-headers-mock"));

// Sessions can be revoked (sign out everywhere, a password change, account deletion), a stale
// cookie is cleared on its way to sign-in exactly once, a database error is an error and not a
// redirect, active sessions roll, and the cookie's name follows the studio's scheme. Everything
// runs through the real session reader, layouts, route and actions, with Auth.js signing in.

const SECRET = process.env.AUTH_SECRET!;
const PLAIN = "authjs.session-token";
const SECURE = "__Secure-authjs.session-token";
const PASSWORD = "a long enough password 1";
const DAY = 24 * 60 * 60 * 1000;

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb("pglite");
  useAppDb(t.db);
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A user with a password, signed in through Auth.js: the cookie jar holds their session. */
async function signedInUser() {
  const { hashPassword } = await import("@/server/auth/password");
  const email = `s-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const user = await t.db.user.create({
    data: { email, name: "Ada", passwordHash: await hashPassword(PASSWORD) },
  });
  const { signIn } = await import("@/server/auth/config");
  clearCookies();
  await signIn("credentials", { email, password: PASSWORD, redirect: false });
  const token = (await cookies()).get(PLAIN)?.value;
  expect(token).toBeTruthy();
  return { user, email, token: token! };
}

/** Who a browser holding `token` is, as every page, action and route reads it. */
async function sessionOf(token: string) {
  clearCookies();
  (await cookies()).set(PLAIN, token);
  const { readSession } = await import("@/server/auth/session");
  return readSession();
}

/** Next's redirect() as the path it sends to, or null when `run` did not redirect. */
async function redirectOf(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    if (!digest.startsWith("NEXT_REDIRECT")) throw error;
    return digest.split(";")[2]!;
  }
}

const studioLayout = async () => (await import("@/app/(studio)/layout")).default({ children: null });
const authLayout = async () => (await import("@/app/(auth)/layout")).default({ children: null });

/**
 * A browser that follows the studio's redirects, starting at `path`: layouts redirect with Next's
 * redirect(), the end-session route answers 303 and sets cookies. Returns the pages it went
 * through (a loop shows as a long trail) and the cookie jar left at the end.
 */
async function browse(path: string) {
  const trail: string[] = [];
  const route = await import("@/app/api/session/end/route");
  for (let hop = 0; hop < 8; hop++) {
    trail.push(path);
    if (path === "/api/session/end") {
      const response = await route.GET(new Request(`http://localhost:3000${path}`));
      const jar = await cookies();
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(";");
        const [name, value] = pair!.split("=");
        if (/max-age=0/i.test(cookie) || value === "") jar.delete(name!);
        else jar.set(name!, value!);
      }
      expect(response.status).toBe(303);
      expect(response.headers.get("clear-site-data")).toBe('"cache", "cookies", "storage"');
      path = new URL(response.headers.get("location")!, "http://localhost:3000").pathname;
      continue;
    }
    const layout = path === "/sign-in" ? authLayout : studioLayout;
    const next = await redirectOf(layout);
    if (!next) break;
    path = next;
  }
  return { trail, cookies: (await cookies()).getAll().map((c) => c.name) };
}

describe("revocation", () => {
  it("sign out everywhere ends every session of the user, on every device", async () => {
    const { user, token: otherDevice } = await signedInUser();
    expect(await sessionOf(otherDevice)).toMatchObject({ state: "valid", user: { id: user.id } });

    const route = await import("@/app/api/session/end/route");
    const response = await route.POST(
      new Request("http://localhost:3000/api/session/end?everywhere=1", {
        method: "POST",
        headers: { origin: "http://localhost:3000", host: "localhost:3000" },
      }),
    );
    expect(response.status).toBe(303);
    // Relative: behind a proxy the request's own URL may name an internal host.
    expect(response.headers.get("location")).toBe("/sign-in");
    expect(response.headers.get("clear-site-data")).toBe('"cache", "cookies", "storage"');
    expect(
      response.headers.getSetCookie().some((c) => c.startsWith(`${PLAIN}=;`) && /max-age=0/i.test(c)),
    ).toBe(true);

    expect(await sessionOf(otherDevice)).toEqual({ state: "ended" });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    // Signing in again gives a session at the new version.
    const { signIn } = await import("@/server/auth/config");
    clearCookies();
    await signIn("credentials", { email: user.email!, password: PASSWORD, redirect: false });
    expect(await sessionOf((await cookies()).get(PLAIN)!.value)).toMatchObject({ state: "valid" });
  });

  it("refuses a sign-out posted from another site", async () => {
    const { user, token } = await signedInUser();
    const route = await import("@/app/api/session/end/route");
    const response = await route.POST(
      new Request("http://localhost:3000/api/session/end?everywhere=1", {
        method: "POST",
        headers: { origin: "https://evil.example", host: "localhost:3000" },
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("clear-site-data")).toBeNull();
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(0);
    expect(await sessionOf(token)).toMatchObject({ state: "valid" });
  });

  it("a password change ends every other session and keeps this device signed in", async () => {
    const { user, email, token: otherDevice } = await signedInUser();
    const { changePasswordAction } = await import("@/server/actions/change-password");

    const wrong = await changePasswordAction({
      currentPassword: "not it",
      newPassword: "another long password 2",
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fieldErrors: { currentPassword: expect.any(String) } },
    });
    expect(await sessionOf(otherDevice)).toMatchObject({ state: "valid" });

    (await cookies()).set(PLAIN, otherDevice);
    const changed = await changePasswordAction({
      currentPassword: PASSWORD,
      newPassword: "another long password 2",
    });
    expect(changed).toEqual({ ok: true, data: null });
    const thisDevice = (await cookies()).get(PLAIN)!.value;
    expect(thisDevice).not.toBe(otherDevice);

    expect(await sessionOf(otherDevice)).toEqual({ state: "ended" });
    expect(await sessionOf(thisDevice)).toMatchObject({ state: "valid", user: { id: user.id } });
    const { signIn } = await import("@/server/auth/config");
    await expect(signIn("credentials", { email, password: PASSWORD, redirect: false })).rejects.toThrow();
  });

  it("account deletion ends every session of the account at once", async () => {
    const { user, email, token } = await signedInUser();
    (await cookies()).set(PLAIN, token);
    const { deleteAccount } = await import("@/server/actions/delete-account");
    // Read once, so the reader's short cache holds the version: deletion must still end it now.
    expect(await sessionOf(token)).toMatchObject({ state: "valid" });
    (await cookies()).set(PLAIN, token);
    expect(await deleteAccount(email)).toEqual({ ok: true, data: null });
    expect(await t.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await sessionOf(token)).toEqual({ state: "ended" });
  });
});

describe("an ended cookie", () => {
  it("goes through clearing to sign-in once, and never loops (revoked, then deleted account)", async () => {
    const { user, token } = await signedInUser();
    await (await import("@/server/auth/session-version")).endAllSessions(user.id);
    clearCookies();
    (await cookies()).set(PLAIN, token);
    const revoked = await browse("/create");
    expect(revoked.trail).toEqual(["/create", "/api/session/end", "/sign-in"]);
    expect(revoked.cookies).not.toContain(PLAIN);

    // Even if the browser kept the stale cookie, the sign-in page stays put.
    (await cookies()).set(PLAIN, token);
    expect(await redirectOf(authLayout)).toBeNull();

    const other = await signedInUser();
    await t.db.user.delete({ where: { id: other.user.id } });
    (await import("@/server/auth/session-version")).forgetSessionVersion(other.user.id);
    clearCookies();
    (await cookies()).set(PLAIN, other.token);
    const orphaned = await browse("/create");
    expect(orphaned.trail).toEqual(["/create", "/api/session/end", "/sign-in"]);
    expect(orphaned.cookies).not.toContain(PLAIN);
    console.info(`stale cookie: ${orphaned.trail.join(" → ")}, cookie cleared`);
  });

  it("a link to the clearing route cannot sign out a valid session", async () => {
    const { token } = await signedInUser();
    clearCookies();
    (await cookies()).set(PLAIN, token);
    const route = await import("@/app/api/session/end/route");
    const response = await route.GET(new Request("http://localhost:3000/api/session/end"));
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!, "http://localhost:3000").pathname).toBe("/create");
    expect(response.headers.get("clear-site-data")).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("a valid session on the sign-in page goes on to the studio", async () => {
    await signedInUser();
    expect(await redirectOf(authLayout)).toBe("/create");
  });
});

describe("a database error while reading the session", () => {
  it("is thrown to the error page, never answered with a redirect", async () => {
    const { user, token } = await signedInUser();
    const broken = new Proxy(t.db, {
      get(target, key) {
        if (key === "user") {
          return { findUnique: () => Promise.reject(new Error("connection refused")) };
        }
        return Reflect.get(target, key) as unknown;
      },
    }) as PrismaClient;
    (await import("@/server/auth/session-version")).forgetSessionVersion(user.id);
    setDb(broken);
    try {
      clearCookies();
      (await cookies()).set(PLAIN, token);
      await expect(studioLayout()).rejects.toThrow("connection refused");
      await expect(authLayout()).rejects.toThrow("connection refused");
      const me = await import("@/app/api/me/route");
      expect((await me.GET(new Request("http://localhost/api/me"))).status).toBe(500);
    } finally {
      setDb(t.db);
    }
  });
});

describe("rolling sessions", () => {
  it("re-issues a token older than a day, so an active user is still signed in after 40 days", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const { token } = await signedInUser();
    const { proxy } = await import("@/proxy");
    const visit = async (cookie: string) =>
      proxy(new NextRequest("http://localhost:3000/gallery", { headers: { cookie: `${PLAIN}=${cookie}` } }));

    // Within the first day nothing is re-issued.
    vi.setSystemTime(start + 60 * 60 * 1000);
    expect((await visit(token)).cookies.get(PLAIN)).toBeUndefined();

    let current = token;
    for (let day = 1; day <= 40; day++) {
      vi.setSystemTime(start + day * DAY + 1000);
      const rolled = (await visit(current)).cookies.get(PLAIN);
      expect(rolled?.value, `day ${day}`).toBeTruthy();
      expect(rolled!.maxAge).toBe(30 * 24 * 60 * 60);
      current = rolled!.value;
    }
    expect(await sessionOf(current)).toMatchObject({ state: "valid" });
    const claims = await decode({ token: current, secret: SECRET, salt: PLAIN });
    expect(claims!.exp! * 1000).toBeGreaterThan(Date.now() + 29 * DAY);
    // The first token, never re-issued, ended 30 days after sign-in.
    expect(await sessionOf(token)).toEqual({ state: "ended" });
    console.info(
      "rolling: a token re-issued once a day is still valid on day 40; the untouched one ended on day 30",
    );
  });

  it("rolls a revoked token as revoked: still refused", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { user, token } = await signedInUser();
    await (await import("@/server/auth/session-version")).endAllSessions(user.id);
    vi.setSystemTime(Date.now() + 2 * DAY);
    const { proxy } = await import("@/proxy");
    const response = await proxy(
      new NextRequest("http://localhost:3000/create", { headers: { cookie: `${PLAIN}=${token}` } }),
    );
    const rolled = response.cookies.get(PLAIN)?.value;
    expect(rolled).toBeTruthy();
    expect(await sessionOf(rolled!)).toEqual({ state: "ended" });
  });
});

describe("the cookie's name follows the studio's scheme", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function readerAt(appUrl: string) {
    vi.resetModules();
    vi.stubEnv("APP_URL", appUrl);
    const headers = await import("next/headers");
    const { readSession } = await import("@/server/auth/session");
    return async (name: string, token: string) => {
      const jar = await headers.cookies();
      for (const { name: n } of jar.getAll()) jar.delete(n);
      jar.set(name, token);
      return (await readSession()).state;
    };
  }

  it("accepts only the __Secure- name over https, and only the plain name over http", async () => {
    const user = await t.db.user.create({
      data: { email: `n-${crypto.randomUUID().slice(0, 8)}@example.test` },
    });
    const claims = { sub: user.id, email: user.email, name: null, sv: 0 };
    const secureToken = await encode({ token: claims, secret: SECRET, salt: SECURE });
    const plainToken = await encode({ token: claims, secret: SECRET, salt: PLAIN });

    const https = await readerAt("https://studio.example");
    expect(await https(SECURE, secureToken)).toBe("valid");
    expect(await https(PLAIN, plainToken)).toBe("none");

    const http = await readerAt("http://localhost:3000");
    expect(await http(PLAIN, plainToken)).toBe("valid");
    expect(await http(SECURE, secureToken)).toBe("none");
  });
});
