import { useAppDb } from "./support/app-db";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as PasswordModule from "@/server/auth/password";

import { createTestDb, type TestDb } from "../helpers/test-db";
import {
  clearCookies,
  cookieNames,
  cookieValue,
  setCookie,
  setRequestHeader,
} from "./support/next-headers-mock";

vi.mock("next/headers", () => import("./support/next-headers-mock"));

// Every argon2 verify and hash is counted, so the tests can show that a refused attempt costs none.
vi.mock("@/server/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof PasswordModule>();
  return {
    ...original,
    verifyPassword: vi.fn(original.verifyPassword),
    hashPassword: vi.fn(original.hashPassword),
  };
});

// Sign-in limits, with the defaults of server/env.ts:
// - per client address and email: 5 attempts per 15 minutes (20 per day), then even the right
//   password is refused from that address;
// - per client address, across all emails and sign-ups: 50 per 15 minutes;
// - per account, from devices that never signed into it: 10 per 5 minutes; a device that signed in
//   before (its signed `reve-known-device` cookie) is exempt.
// Nothing is hashed or verified for a refused attempt. Both ways in are covered: the sign-in form's
// server action and Auth.js's own POST /api/auth/callback/credentials.

const PASSWORD = "the-right-password-42";
const PER_IP_EMAIL = 5;
const PER_IP = 50;
const PER_ACCOUNT = 10;
const KNOWN_DEVICE = "reve-known-device";

let ipCounter = 0;
/** A client address no other test uses. */
const freshIp = () => `203.0.113.${++ipCounter}`;

describe("sign-in limits", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("pglite");
    useAppDb(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function makeAccount(tag: string) {
    const { hashPassword } = await import("@/server/auth/password");
    const email = `${tag}-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await t.db.user.create({ data: { email, passwordHash: await hashPassword(PASSWORD) } });
    return email;
  }

  /**
   * The sign-in form's submit from `ip`, in a browser holding `device` (a known-device cookie value)
   * or none: the message it shows, or "signed in: <cookies>".
   */
  async function signInWithForm(
    email: string,
    password: string,
    from: { ip: string; device?: string },
  ): Promise<string> {
    const { signInAction } = await import("@/server/actions/sign-in");
    const data = new FormData();
    data.set("email", email);
    data.set("password", password);
    clearCookies();
    if (from.device) setCookie(KNOWN_DEVICE, from.device);
    setRequestHeader("x-forwarded-for", from.ip);
    try {
      const state = await signInAction(null, data);
      return state.ok ? "idle" : state.error.message;
    } catch (error) {
      const digest = String((error as { digest?: string }).digest ?? "");
      if (digest.startsWith("NEXT_REDIRECT")) return `signed in: ${cookieNames().join(",")}`;
      throw error;
    }
  }

  const verifyCalls = async () => {
    const { verifyPassword } = await import("@/server/auth/password");
    return vi.mocked(verifyPassword).mock.calls.length;
  };

  it(`refuses attempt ${PER_IP_EMAIL + 1} for one email from one address, right password or not`, async () => {
    const email = await makeAccount("brute");
    const other = await makeAccount("bystander");
    const ip = freshIp();

    const answers: string[] = [];
    for (let i = 1; i <= PER_IP_EMAIL; i++) {
      // Case and spaces do not make a new email: the form normalises before counting.
      const spelled = i % 2 ? email : ` ${email.toUpperCase()} `;
      answers.push(await signInWithForm(spelled, `wrong-guess-${i}`, { ip }));
    }
    expect(answers).toEqual(Array(PER_IP_EMAIL).fill("Wrong email or password."));

    const before = await verifyCalls();
    const refused = await signInWithForm(email, PASSWORD, { ip });
    expect(refused).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
    expect(await verifyCalls()).toBe(before);
    // Another account is not locked out by someone guessing this one, even from the same address.
    expect(await signInWithForm(other, PASSWORD, { ip })).toMatch(/^signed in: /);
    console.info(
      `sign-in limit (address + email): ${PER_IP_EMAIL} attempts answered, attempt ${PER_IP_EMAIL + 1} ` +
        `refused with "${refused}" without a password verify; other accounts unaffected`,
    );
  });

  it("lets the owner in from another address while an attacker's address is locked out of the account", async () => {
    const email = await makeAccount("owner");
    const attacker = freshIp();
    // More guesses than any per-email limit would allow: the account must still open for its owner.
    for (let i = 1; i <= 2 * PER_ACCOUNT; i++) await signInWithForm(email, `guess-${i}`, { ip: attacker });
    expect(await signInWithForm(email, PASSWORD, { ip: attacker })).toMatch(/^Too many sign-in attempts/);

    expect(await signInWithForm(email, PASSWORD, { ip: freshIp() })).toMatch(/^signed in: .*session-token/);
    console.info(
      `sign-in limit: attacker's address refused after ${PER_IP_EMAIL} guesses; the owner from another address signed in`,
    );
  });

  it("lets the owner in from a device that signed in before when many addresses have used up the account's allowance", async () => {
    const email = await makeAccount("botnet-target");
    // The owner signed in once on this device, earlier.
    expect(await signInWithForm(email, PASSWORD, { ip: freshIp() })).toMatch(/^signed in: /);
    const device = cookieValue(KNOWN_DEVICE);
    expect(device).toBeTruthy();

    // A botnet: each address stays under its own limit, together they use up the account's (the
    // owner's sign-in from a new device spent one of its attempts).
    for (let i = 1; i < PER_ACCOUNT; i++) {
      expect(await signInWithForm(email, `guess-${i}`, { ip: freshIp() })).toBe("Wrong email or password.");
    }
    const before = await verifyCalls();
    const stranger = await signInWithForm(email, PASSWORD, { ip: freshIp() });
    expect(stranger).toMatch(
      /^Too many sign-in attempts on this account\. Try again in \d+ (seconds|minutes), or from a device you signed in with before\.$/,
    );
    expect(await verifyCalls()).toBe(before);

    // The owner's device gets in, from an address it never used; a forged or moved cookie does not.
    expect(await signInWithForm(email, PASSWORD, { ip: freshIp(), device })).toMatch(/^signed in: /);
    const other = await makeAccount("other-account");
    expect(await signInWithForm(other, PASSWORD, { ip: freshIp() })).toMatch(/^signed in: /);
    const otherDevice = cookieValue(KNOWN_DEVICE)!;
    const forged = `${device!.slice(0, -4)}AAAA`;
    for (const wrong of [otherDevice, forged]) {
      expect(await signInWithForm(email, PASSWORD, { ip: freshIp(), device: wrong })).toMatch(
        /^Too many sign-in attempts on this account/,
      );
    }
    console.info(
      `sign-in limit (account): ${PER_ACCOUNT} guesses from ${PER_ACCOUNT} addresses, then new devices wait; ` +
        "the owner's known device signs in, another account's or a forged cookie does not",
    );
  });

  it(`refuses one address after ${PER_IP} attempts across many emails, without verifying a password`, async () => {
    const ip = freshIp();
    for (let i = 1; i <= PER_IP; i++) {
      expect(await signInWithForm(`sprayed-${i}@example.test`, PASSWORD, { ip })).toBe(
        "Wrong email or password.",
      );
    }
    const before = await verifyCalls();
    const refused = await signInWithForm("sprayed-next@example.test", PASSWORD, { ip });
    expect(refused).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
    const owner = await makeAccount("sprayed-owner");
    expect(await signInWithForm(owner, PASSWORD, { ip })).toMatch(/^Too many sign-in attempts/);
    expect(await verifyCalls()).toBe(before);

    // The same address cannot sign up either (each sign-up hashes a password), and no hash is made.
    const { signUpAction } = await import("@/server/actions/sign-up");
    const { hashPassword } = await import("@/server/auth/password");
    const hashes = vi.mocked(hashPassword).mock.calls.length;
    const data = new FormData();
    data.set("email", "new-from-sprayer@example.test");
    data.set("password", "a-fine-new-password-7");
    setRequestHeader("x-forwarded-for", ip);
    const signUp = await signUpAction(null, data);
    expect(signUp).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(vi.mocked(hashPassword).mock.calls.length).toBe(hashes);
    expect(await t.db.user.count({ where: { email: "new-from-sprayer@example.test" } })).toBe(0);
    console.info(
      `sign-in limit (address): ${PER_IP} attempts over ${PER_IP} emails, then sign-in and sign-up refused ` +
        "with no password verified or hashed",
    );
  });

  it("holds on Auth.js's own credentials endpoint too, which skips the form", async () => {
    const { handlers } = await import("@/server/auth/config");
    const email = await makeAccount("endpoint");
    const origin = "http://localhost:3000";
    const ip = freshIp();

    const csrf = await handlers.GET(new Request(`${origin}/api/auth/csrf`) as never);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const post = async (password: string) => {
      clearCookies();
      const response = await handlers.POST(
        new Request(`${origin}/api/auth/callback/credentials`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            cookie,
            "x-forwarded-for": ip,
          },
          body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/create` }),
        }) as never,
      );
      const session = response.headers.getSetCookie().some((c) => /session-token=[^;]+/.test(c));
      return { session, location: response.headers.get("location") ?? "" };
    };

    for (let i = 1; i <= PER_IP_EMAIL; i++) {
      const guess = await post(`wrong-guess-${i}`);
      expect(guess.session).toBe(false);
    }
    const last = await post(PASSWORD);
    expect(last.session).toBe(false);
    expect(last.location).toContain("error=");
    console.info(
      `sign-in limit (POST /api/auth/callback/credentials): ${PER_IP_EMAIL} guesses, attempt ` +
        `${PER_IP_EMAIL + 1} with the right password refused, no session issued`,
    );
  });
});
