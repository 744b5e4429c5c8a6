import { useAppDb } from "./support/app-db";

import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { getSessionUser, requireUser } from "@/server/auth/session";

import { createTestDb, type TestDb } from "../helpers/test-db";
import { clearCookies, cookies } from "./support/next-headers-mock";

vi.mock("next/headers", () => import("./support/next-headers-mock"));

// The session is read from the token Auth.js issues, without Auth.js's request machinery. It must
// accept exactly what Auth.js would: its cookie, under its name, with our secret, before it expires.

const SECRET = process.env.AUTH_SECRET!;
const PLAIN = "authjs.session-token";
const SECURE = "__Secure-authjs.session-token";
const claims = { sub: "user-123", email: "ada@example.test", name: "Ada", sv: 0 };

const token = (options: { salt?: string; secret?: string; maxAge?: number } = {}) =>
  encode({
    token: claims,
    salt: options.salt ?? PLAIN,
    secret: options.secret ?? SECRET,
    maxAge: options.maxAge,
  });

async function withCookies(entries: Record<string, string>) {
  clearCookies();
  const jar = await cookies();
  for (const [name, value] of Object.entries(entries)) jar.set(name, value);
  return getSessionUser();
}

describe("session cookie", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("pglite");
    useAppDb(t.db);
    // The reader checks the account behind a token: this one exists, at session version 0.
    await t.db.user.create({ data: { id: claims.sub, email: claims.email, name: claims.name } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("reads the user from Auth.js's cookie under the name for the studio's scheme (http here)", async () => {
    const user = { id: "user-123", email: "ada@example.test", name: "Ada" };
    expect(await withCookies({ [PLAIN]: await token() })).toEqual(user);
    // Over http the __Secure- name is not the session's (https: tests/security/sessions.test.ts).
    expect(await withCookies({ [SECURE]: await token({ salt: SECURE }) })).toBeNull();
  });

  it("joins a token Auth.js split into chunks", async () => {
    const whole = await token();
    const cut = Math.floor(whole.length / 2);
    expect(
      await withCookies({ [`${PLAIN}.0`]: whole.slice(0, cut), [`${PLAIN}.1`]: whole.slice(cut) }),
    ).toMatchObject({ id: "user-123" });
  });

  it("refuses a token under another cookie name, with another secret, expired or altered", async () => {
    const good = await token();
    const refused = {
      "another cookie's token": await withCookies({ [PLAIN]: await token({ salt: SECURE }) }),
      "another secret": await withCookies({ [PLAIN]: await token({ secret: "x".repeat(40) }) }),
      "expired a minute ago": await withCookies({ [PLAIN]: await token({ maxAge: -60 }) }),
      "one character changed": await withCookies({
        [PLAIN]: good.slice(0, 40) + (good[40] === "A" ? "B" : "A") + good.slice(41),
      }),
      "not a token": await withCookies({ [PLAIN]: "hello" }),
      "no cookie": await withCookies({}),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, null])));
    clearCookies();
    await expect(requireUser()).rejects.toMatchObject({ code: "unauthorized" });
    console.info(`session cookie: ${Object.keys(refused).length} forged, stale or missing tokens refused`);
  });

  it("stops accepting a token at its expiry, even one it has already opened", async () => {
    const hour = await token({ maxAge: 3600 });
    expect(await withCookies({ [PLAIN]: hour })).toMatchObject({ id: "user-123" });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 59 * 60_000);
      expect(await withCookies({ [PLAIN]: hour })).toMatchObject({ id: "user-123" });
      vi.setSystemTime(Date.now() + 2 * 60_000);
      expect(await withCookies({ [PLAIN]: hour })).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  describe("with Auth.js signing in", () => {
    it("reads the cookie Auth.js's own credentials sign-in sets", async () => {
      const { hashPassword } = await import("@/server/auth/password");
      const email = `session-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const row = await t.db.user.create({
        data: { email, name: "Grace", passwordHash: await hashPassword("a long enough password 1") },
      });
      const { signIn } = await import("@/server/auth/config");
      clearCookies();
      await signIn("credentials", { email, password: "a long enough password 1", redirect: false });
      expect(await getSessionUser()).toEqual({ id: row.id, email, name: "Grace" });
    });
  });
});
