import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startAdminListener } from "@/server/admin/loopback";
import { holdForGeneration } from "@/server/credits/ledger";

import { installAppDb, makeUser } from "../helpers/app-db";
import { assertLedgerConserved, type TestDb } from "../helpers/test-db";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The embedded studio holds its PGlite folder, so `npm run admin` must reach the running server.
 * Here this test process plays the server: it owns the database and the loopback listener, and the
 * CLI runs as a separate process with the same DATA_DIR and no DATABASE_URL.
 */
describe("npm run admin while the embedded studio runs", () => {
  let t: TestDb;
  let dataDir: string;
  let stop: () => void;

  beforeAll(async () => {
    t = await installAppDb("pglite");
    dataDir = await mkdtemp(path.join(tmpdir(), "reve-admin-"));
    stop = await startAdminListener(dataDir);
  });
  afterAll(async () => {
    stop?.();
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function admin(args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dataDir,
      NODE_ENV: "test",
    };
    const argv = ["--conditions=react-server", "--import", "tsx", "scripts/admin.ts", ...args];
    return new Promise((resolve) => {
      execFile(process.execPath, argv, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it("keeps its address and secret in a file only the operator can read", async () => {
    const file = path.join(dataDir, "admin.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const endpoint = JSON.parse(await readFile(file, "utf8")) as { port: number; secret: string };
    const refused = await fetch(`http://127.0.0.1:${endpoint.port}/command`, {
      method: "POST",
      headers: { authorization: "Bearer wrong" },
      body: JSON.stringify({ command: { command: "grant", email: "a@b.c", credits: 1, reason: "nope" } }),
    });
    expect(refused.status).toBe(401);
  });

  it(
    "grants and revokes through the running studio, each a ledger row with the reason and who did it",
    { timeout: 120_000 },
    async () => {
      const user = await makeUser(t.db, 0, `owner-${crypto.randomUUID()}@example.test`);
      const granted = await admin([
        "grant",
        "--email",
        user.email!,
        "--credits",
        "40",
        "--reason",
        "Lost job refund",
      ]);
      expect(granted.stderr).toBe("");
      expect(granted.code).toBe(0);
      expect(JSON.parse(granted.stdout)).toMatchObject({ granted: 40, balance: 40 });

      // A revoke never drives the balance below zero: it takes what is there and says so.
      const revoked = await admin([
        "revoke",
        "--email",
        user.email!,
        "--credits",
        "100",
        "--reason",
        "Chargeback",
      ]);
      expect(revoked.code).toBe(0);
      expect(JSON.parse(revoked.stdout)).toMatchObject({ revoked: 40, asked: 100, balance: 0 });

      const rows = await t.db.creditLedgerEntry.findMany({
        where: { userId: user.id },
        orderBy: { createdAt: "asc" },
      });
      expect(rows).toEqual([
        expect.objectContaining({
          reason: "grant",
          amount: 40,
          note: expect.stringMatching(/^Lost job refund \(by cli:/),
        }),
        expect.objectContaining({
          reason: "adjustment",
          amount: -40,
          note: expect.stringMatching(/^Chargeback \(by cli:/),
        }),
      ]);
    },
  );

  it(
    "promotes, suspends and signs out through the running studio, each an audit row by cli:<name>",
    { timeout: 120_000 },
    async () => {
      const user = await makeUser(t.db, 0, `member-${crypto.randomUUID()}@example.test`);
      const email = user.email!;
      for (const args of [
        ["promote", "--email", email],
        ["suspend", "--email", email, "--reason", "Abuse report 12"],
        ["sign-out", "--email", email],
      ]) {
        const run = await admin(args);
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
      }
      const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row).toMatchObject({ role: "admin", suspendReason: "Abuse report 12", sessionVersion: 1 });
      expect(row.suspendedAt).toBeInstanceOf(Date);
      const audit = await t.db.auditLog.findMany({
        where: { targetUserId: user.id },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((r) => r.action)).toEqual(["promote", "suspend", "sign_out"]);
      expect(audit.every((r) => r.actor.startsWith("cli:"))).toBe(true);

      const noReason = await admin(["suspend", "--email", email]);
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toContain("--reason must say why");
    },
  );

  it("creates a voucher and prints its code once", { timeout: 120_000 }, async () => {
    const made = await admin([
      "voucher",
      "create",
      "--credits",
      "100",
      "--uses",
      "50",
      "--expires",
      "2099-01-31",
    ]);
    expect(made.code).toBe(0);
    const out = JSON.parse(made.stdout) as { code: string; uses: number; expires: string };
    expect(out).toMatchObject({ credits: 100, uses: 50, expires: "2099-01-31T23:59:59.999Z" });
    expect(out.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(
      await t.db.voucher.count({ where: { credits: 100, maxUses: 50, createdBy: { startsWith: "cli:" } } }),
    ).toBe(1);
  });

  it(
    "lists, shows and fails a job through the running studio, with the page's filters",
    { timeout: 120_000 },
    async () => {
      const user = await makeUser(t.db, 5, `jobs-${crypto.randomUUID()}@example.test`);
      const job = await t.db.generation.create({
        data: {
          userId: user.id,
          kind: "create",
          status: "queued",
          prompt: "a lost job",
          cost: 2,
          provider: "pixazo",
          providerJobId: `px-${crypto.randomUUID()}`,
          deadlineAt: new Date(Date.now() + 600_000),
        },
      });
      await t.db.$transaction((tx) =>
        holdForGeneration(tx, { userId: user.id, generationId: job.id, amount: 2 }),
      );

      const listed = await admin(["jobs", "list", "--user", user.email!, "--state", "queued"]);
      expect(listed.stderr).toBe("");
      expect(JSON.parse(listed.stdout)).toMatchObject({
        items: [{ id: job.id, status: "queued" }],
        nextCursor: null,
      });
      const badState = await admin(["jobs", "list", "--state", "stuck"]);
      expect(badState.code).toBe(2);
      expect(badState.stderr).toContain("--state must be one of");

      const early = await admin(["job", "refund", job.id]);
      expect(early.code).toBe(1);
      expect(early.stderr).toContain("not past its deadline");
      const noReason = await admin(["job", "fail", job.id]);
      expect(noReason.code).toBe(2);
      const failed = await admin(["job", "fail", job.id, "--reason", "Reseller lost it"]);
      expect(failed.stderr).toBe("");
      expect(JSON.parse(failed.stdout)).toMatchObject({
        id: job.id,
        status: "failed",
        errorCode: "lost",
        refunded: 2,
      });

      const shown = await admin(["job", "show", job.id]);
      const story = JSON.parse(shown.stdout) as {
        job: { status: string };
        events: { kind: string; detail: string | null }[];
        ledger: { reason: string; amount: number }[];
      };
      expect(story.job.status).toBe("failed");
      expect(story.events.map((e) => e.kind)).toEqual(["failed", "refunded", "operator_fail"]);
      expect(story.events[2]!.detail).toMatch(/^by cli:.*: Reseller lost it$/);
      expect(story.ledger.map((l) => [l.reason, l.amount])).toEqual([
        ["hold", -2],
        ["refund", 2],
      ]);
      expect(await t.db.auditLog.count({ where: { targetUserId: user.id, action: "job_fail" } })).toBe(1);

      const unknown = await admin(["job", "show", "cl0000000000000000000000"]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("No job has the id cl0000000000000000000000.");
      const malformed = await admin(["job", "poll", "../etc"]);
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain("The job id is not valid");
    },
  );

  it(
    "lists, disables and reorders resellers through the running studio, each audited",
    { timeout: 120_000 },
    async () => {
      const disabled = await admin(["reseller", "disable", "--reseller", "pixazo", "--reason", "Outage"]);
      expect(disabled.stderr).toBe("");
      expect(JSON.parse(disabled.stdout)).toMatchObject({ reseller: "pixazo", enabled: false });
      const moved = await admin(["reseller", "priority", "--reseller", "reveart", "--priority", "1"]);
      expect(JSON.parse(moved.stdout)).toMatchObject({ reseller: "reveart", priority: 1 });
      const listed = await admin(["reseller", "list"]);
      expect(listed.code).toBe(0);
      const { resellers } = JSON.parse(listed.stdout) as {
        resellers: { id: string; switchedOn: boolean; autoPlace: number }[];
      };
      expect(resellers.map((r) => r.id).sort()).toEqual(["apiframe", "pixazo", "reve2img", "reveart"]);
      expect(resellers.find((r) => r.id === "pixazo")?.switchedOn).toBe(false);
      expect(resellers.find((r) => r.id === "reveart")?.autoPlace).toBe(1);
      const audit = await t.db.auditLog.findMany({
        where: { action: { startsWith: "reseller_" } },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((r) => r.action)).toEqual(["reseller_disable", "reseller_priority"]);
      expect(audit.every((r) => r.actor.startsWith("cli:"))).toBe(true);

      const unknown = await admin(["reseller", "disable", "--reseller", "dalle"]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("--reseller must be one of pixazo, apiframe, reve2img, reveart");
      const badPriority = await admin(["reseller", "priority", "--reseller", "pixazo", "--priority", "0"]);
      expect(badPriority.code).toBe(2);
      expect(badPriority.stderr).toContain("--priority must be between 1 and 99");
      expect(await t.db.auditLog.count({ where: { action: { startsWith: "reseller_" } } })).toBe(2);
    },
  );

  it("says what is wrong with a command, and changes nothing", { timeout: 120_000 }, async () => {
    const unknown = await admin([
      "grant",
      "--email",
      "nobody@example.test",
      "--credits",
      "5",
      "--reason",
      "test",
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No account has the email nobody@example.test.");
    const bad = await admin(["grant", "--email", "x@example.test", "--credits", "0", "--reason", "test"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--credits must be positive");
    const noReason = await admin(["revoke", "--email", "x@example.test", "--credits", "3"]);
    expect(noReason.code).toBe(2);
    expect(await t.db.creditLedgerEntry.count({ where: { user: { email: "x@example.test" } } })).toBe(0);
  });
});
