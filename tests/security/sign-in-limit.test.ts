import { useAppDb } from "./support/app-db";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDb, type TestDb } from "../helpers/test-db";
import { clearCookies, cookieNames } from "./support/next-headers-mock";

vi.mock("next/headers", () => import("./support/next-headers-mock"));

// Guessing passwords is limited per email: SIGNIN_ATTEMPTS_PER_15_MINUTES (10) attempts, then even
// the right password is refused until the window passes. The limit must hold on both ways in: the
// sign-in form's server action and Auth.js's own POST /api/auth/callback/credentials.

const PASSWORD = "the-right-password-42";
const LIMIT = 10;

describe("sign-in brute force", () => {
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

  /** The sign-in form's submit: the message it shows, or where a successful sign-in goes. */
  async function signInWithForm(email: string, password: string): Promise<string> {
    const { signInAction } = await import("@/server/actions/sign-in");
    const data = new FormData();
    data.set("email", email);
    data.set("password", password);
    clearCookies();
    try {
      const state = await signInAction(null, data);
      return state.ok ? "idle" : state.error.message;
    } catch (error) {
      const digest = String((error as { digest?: string }).digest ?? "");
      if (digest.startsWith("NEXT_REDIRECT")) return `signed in: ${cookieNames().join(",")}`;
      throw error;
    }
  }

  it(`refuses the ${LIMIT + 1}th attempt for one email through the sign-in action, right password or not`, async () => {
    const email = await makeAccount("brute");
    const other = await makeAccount("bystander");

    expect(await signInWithForm(email, PASSWORD)).toMatch(/^signed in: .*session-token/);
    const answers: string[] = [];
    for (let i = 2; i <= LIMIT; i++) {
      // Case and spaces do not make a new email: the form normalises before counting.
      const spelled = i % 2 ? email : ` ${email.toUpperCase()} `;
      answers.push(await signInWithForm(spelled, `wrong-guess-${i}`));
    }
    expect(answers).toEqual(Array(LIMIT - 1).fill("Wrong email or password."));

    const refused = await signInWithForm(email, PASSWORD);
    expect(refused).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
    // Another account is not locked out by someone guessing this one.
    expect(await signInWithForm(other, PASSWORD)).toMatch(/^signed in: /);
    console.info(
      `sign-in limit (action): ${LIMIT} attempts answered, attempt ${LIMIT + 1} refused with "${refused}" ` +
        "even with the right password; other accounts unaffected",
    );
  });

  it("holds on Auth.js's own credentials endpoint too, which skips the form", async () => {
    const { handlers } = await import("@/server/auth/config");
    const email = await makeAccount("endpoint");
    const origin = "http://localhost:3000";

    const csrf = await handlers.GET(new Request(`${origin}/api/auth/csrf`) as never);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const post = async (password: string) => {
      const response = await handlers.POST(
        new Request(`${origin}/api/auth/callback/credentials`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/create` }),
        }) as never,
      );
      const session = response.headers.getSetCookie().some((c) => /session-token=[^;]+/.test(c));
      return { session, location: response.headers.get("location") ?? "" };
    };

    for (let i = 1; i <= LIMIT; i++) {
      const guess = await post(`wrong-guess-${i}`);
      expect(guess.session).toBe(false);
    }
    const last = await post(PASSWORD);
    expect(last.session).toBe(false);
    expect(last.location).toContain("error=");
    console.info(
      `sign-in limit (POST /api/auth/callback/credentials): ${LIMIT} guesses, attempt ${LIMIT + 1} with the ` +
        "right password refused, no session issued",
    );
  });
});
