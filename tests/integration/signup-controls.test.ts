import { once } from "node:events";
import type { AddressInfo } from "node:net";

import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as PasswordModule from "@/server/auth/password";
import type * as SignUpModule from "@/server/auth/sign-up";
import type * as VerifyRoute from "@/app/api/account/verify-email/route";
import { env } from "@/server/env";

import { installAppDb } from "../helpers/app-db";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";

// Counts argon2 hashes: a refused sign-up must be refused before any.
const hashing = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/server/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof PasswordModule>();
  return {
    ...original,
    hashPassword: async (password: string) => {
      hashing.count++;
      return original.hashPassword(password);
    },
  };
});

const PASSWORD = "a long enough password";
let ipCounter = 0;
/** An address of its own per test, so one test's sign-ups never count against another's. */
const freshIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const email = (tag: string) => `${tag}-${crypto.randomUUID()}@example.test`;

describe.each(DB_KINDS)("sign-up controls on %s", (kind) => {
  let t: TestDb;
  let signUp: typeof SignUpModule;
  let verifyRoute: typeof VerifyRoute;
  const mails: string[] = [];
  let smtp: SMTPServer;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        let text = "";
        stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        stream.on("end", () => {
          mails.push(text);
          callback();
        });
      },
    });
    smtp.listen(0, "127.0.0.1");
    await once(smtp.server, "listening");
    Object.assign(env, {
      SIGNUP_CREDITS: 50,
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    });
    t = await installAppDb(kind);
    signUp = await import("@/server/auth/sign-up");
    verifyRoute = await import("@/app/api/account/verify-email/route");
  });
  afterAll(async () => {
    Object.assign(env, { EMAIL_VERIFICATION: "off", SIGNUP_CREDITS_DAILY_BUDGET: 5000 });
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const credits = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id } })).credits;

  it("from one address: three accounts a day get welcome credits, the next start at 0, the sixth in an hour is refused before hashing", async () => {
    const ip = freshIp();
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await signUp.createPasswordUser({ email: email("farm"), password: PASSWORD }, ip));
    expect(made.map((u) => u.welcome)).toEqual(["granted", "granted", "granted", "ip_limit", "ip_limit"]);
    expect(await Promise.all(made.map((u) => credits(u.id)))).toEqual([50, 50, 50, 0, 0]);
    const stored = await t.db.user.findUniqueOrThrow({ where: { id: made[3]!.id } });
    expect(stored).toMatchObject({ signupIp: ip, welcome: "ip_limit" });

    const hashesBefore = hashing.count;
    const sixth = signUp.createPasswordUser({ email: email("farm"), password: PASSWORD }, ip);
    await expect(sixth).rejects.toMatchObject({
      code: "rate_limited",
      message: /Too many sign-ups from your network/,
    });
    expect(hashing.count).toBe(hashesBefore);

    // Another address is not affected.
    const other = await signUp.createPasswordUser(
      { email: email("neighbour"), password: PASSWORD },
      freshIp(),
    );
    expect(other.welcome).toBe("granted");
  });

  it("OAuth sign-ups count against the same address", async () => {
    const ip = freshIp();
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const user = await t.db.user.create({ data: { email: email("oauth") } });
      await signUp.welcomeOAuthUser(user.id, ip);
      outcomes.push((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).welcome);
    }
    expect(outcomes).toEqual(["granted", "granted", "granted", "ip_limit"]);
  });

  it("stops at the studio's daily budget", async () => {
    // Room for two more accounts' credits today, after those the other tests gave.
    const givenToday = await t.db.user.count({ where: { welcome: "granted" } });
    Object.assign(env, { SIGNUP_CREDITS_DAILY_BUDGET: (givenToday + 2) * 50 });
    try {
      const outcomes = [];
      for (let i = 0; i < 3; i++) {
        outcomes.push(
          (await signUp.createPasswordUser({ email: email("budget"), password: PASSWORD }, freshIp()))
            .welcome,
        );
      }
      expect(outcomes).toEqual(["granted", "granted", "budget_spent"]);
    } finally {
      Object.assign(env, { SIGNUP_CREDITS_DAILY_BUDGET: 5000 });
    }
  });

  it("with verification required, credits arrive through the mailed link, once", async () => {
    Object.assign(env, { EMAIL_VERIFICATION: "required" });
    try {
      const address = email("verify");
      const user = await signUp.createPasswordUser({ email: address, password: PASSWORD }, freshIp());
      expect(user.welcome).toBe("awaiting_verification");
      expect(await credits(user.id)).toBe(0);

      const mail = mails.find((m) => m.includes(`To: ${address}`));
      expect(mail).toBeDefined();
      const link = mail!
        .replace(/=\r?\n/g, "")
        .replaceAll("=3D", "=")
        .match(/http\S+verify-email\S+/)![0];
      const token = new URL(link).searchParams.get("token")!;
      // Only the token's hash is stored.
      expect(JSON.stringify(await t.db.verificationToken.findMany())).not.toContain(token);

      const visit = () => verifyRoute.GET(new Request(link));
      const first = await visit();
      expect(first.status).toBe(303);
      expect(first.headers.get("location")).toMatch(/\/credits\?verified=yes$/);
      expect(await credits(user.id)).toBe(50);
      const stored = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(stored.emailVerified).not.toBeNull();
      expect(stored.welcome).toBe("granted");

      const again = await visit();
      expect(again.headers.get("location")).toMatch(/\/credits\?verified=expired$/);
      expect(await credits(user.id)).toBe(50);

      const forged = await verifyRoute.GET(
        new Request(
          `http://localhost/api/account/verify-email?email=${encodeURIComponent(address)}&token=guess`,
        ),
      );
      expect(forged.headers.get("location")).toMatch(/verified=expired$/);
    } finally {
      Object.assign(env, { EMAIL_VERIFICATION: "off" });
    }
  });
});
