// Operator CLI for accounts, credits and vouchers (each account command writes an audit row):
//   npm run admin -- grant --email a@b.c --credits 100 --reason "Refund for a lost job"
//   npm run admin -- revoke --email a@b.c --credits 100 --reason "Chargeback"
//   npm run admin -- promote|demote --email a@b.c [--reason TEXT]
//   npm run admin -- suspend --email a@b.c --reason "Abuse report 12"; unsuspend --email a@b.c
//   npm run admin -- sign-out --email a@b.c [--reason TEXT]
//   npm run admin -- voucher create --credits 100 --uses 50 [--expires 2027-01-31] [--note "Launch"]
//   npm run admin -- jobs list [--state failed] [--reseller pixazo] [--user EMAIL|ID] [--error CODE] …
//   npm run admin -- job show|poll <id>; job refund <id> [--reason TEXT]; job fail <id> --reason TEXT
//   npm run admin -- reseller list; reseller enable|disable --reseller pixazo [--reason TEXT]
//   npm run admin -- reseller priority --reseller pixazo --priority 1|none [--reason TEXT]
// On PostgreSQL it connects directly. In the embedded default, while the studio runs, it sends the
// command to the studio over loopback (DATA_DIR/admin.json); when the studio is stopped it opens
// the PGlite folder itself. Prints one JSON document. Exit 0: done; 1: refused or failed; 2: usage.

import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  grant   --email EMAIL --credits N --reason TEXT    give credits (a ledger row with the reason)
  revoke  --email EMAIL --credits N --reason TEXT    take credits back, never below zero
  promote --email EMAIL [--reason TEXT]             make the account an admin (/admin)
  demote  --email EMAIL [--reason TEXT]             make it a plain user again
  suspend --email EMAIL --reason TEXT               refuse its submits (it keeps its gallery)
  unsuspend --email EMAIL [--reason TEXT]           lift the suspension
  sign-out --email EMAIL [--reason TEXT]            end every session of the account
  voucher create --credits N --uses N [--expires YYYY-MM-DD] [--note TEXT]
                                                    make a voucher code (shown once)
  jobs list [--state S] [--reseller R] [--user EMAIL|ID] [--since DATE] [--until DATE]
            [--error CODE] [--take N] [--cursor C]  jobs, newest first (nextCursor pages on)
  job show ID                                       a job's timeline, raw answers and credits
  job refund ID [--reason TEXT]                     refund a job stuck past its deadline
  job poll ID                                       ask the job's reseller now
  job fail ID --reason TEXT                         fail and refund a job known to be lost
  reseller list                                     switches and health of every reseller
  reseller enable|disable --reseller ID [--reason TEXT]
                                                    take a reseller into or out of routing
  reseller priority --reseller ID --priority N|none [--reason TEXT]
                                                    its place in Auto's order (lower first)`;

const ACCOUNT_VERBS = ["promote", "demote", "suspend", "unsuspend", "sign-out"];
const JOB_VERBS = ["job show", "job refund", "job poll", "job fail"];

class RemoteError extends Error {}

if (existsSync(".env")) process.loadEnvFile(".env");
const dataDir = resolve(process.env.DATA_DIR ?? "./data");
loadGeneratedSecrets();

const { values, positionals } = parseCommandLine();
if (values.help || positionals.length === 0) usage(0);

const verb = positionals[0] === "job" ? positionals.slice(0, 2).join(" ") : positionals.join(" ");
const raw =
  verb === "jobs list"
    ? {
        command: "jobs-list",
        state: values.state,
        reseller: values.reseller,
        user: values.user,
        since: values.since,
        until: values.until,
        error: values.error,
        take: values.take,
        cursor: values.cursor,
      }
    : JOB_VERBS.includes(verb) && positionals.length === 3
      ? { command: verb.replace(" ", "-"), id: positionals[2], reason: values.reason }
      : verb === "voucher create"
        ? {
            command: "voucher-create",
            credits: values.credits,
            uses: values.uses,
            expires: values.expires,
            note: values.note,
          }
        : verb === "grant" || verb === "revoke"
          ? { command: verb, email: values.email, credits: values.credits, reason: values.reason }
          : ACCOUNT_VERBS.includes(verb)
            ? { command: verb, email: values.email, reason: values.reason }
            : verb === "reseller list"
              ? { command: "reseller-list" }
              : verb === "reseller enable" || verb === "reseller disable"
                ? { command: verb.replace(" ", "-"), reseller: values.reseller, reason: values.reason }
                : verb === "reseller priority"
                  ? {
                      command: "reseller-priority",
                      reseller: values.reseller,
                      priority: values.priority ?? "",
                      reason: values.reason,
                    }
                  : usage(2);

const { adminCommandSchema, runAdminCommand, AdminCommandError } = await import("@/server/admin/commands");
const parsed = adminCommandSchema.safeParse(raw);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  usage(2);
}
const operator = `cli:${userInfo().username}`;

try {
  const result = (await viaRunningStudio(parsed.data)) ?? (await runAdminCommand(parsed.data, operator));
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
} catch (error) {
  console.error(error instanceof AdminCommandError || error instanceof RemoteError ? error.message : error);
  process.exit(1);
}

/** The running embedded studio's answer, or null when the CLI should use the database itself. */
async function viaRunningStudio(command: unknown): Promise<Record<string, unknown> | null> {
  if (process.env.DATABASE_URL) return null;
  const file = join(dataDir, "admin.json");
  if (!existsSync(file)) return null;
  const endpoint = JSON.parse(readFileSync(file, "utf8")) as { port: number; secret: string; pid: number };
  if (!isAlive(endpoint.pid)) return null;
  const response = await fetch(`http://127.0.0.1:${endpoint.port}/command`, {
    method: "POST",
    headers: { authorization: `Bearer ${endpoint.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ command, operator }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new RemoteError(String(body.error ?? `The studio answered ${response.status}.`));
  return body;
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` keeps generated secrets in DATA_DIR; env parsing needs them even for the CLI. */
function loadGeneratedSecrets() {
  const file = join(dataDir, "secrets.json");
  const secrets = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  for (const name of ["AUTH_SECRET", "MEDIA_SIGNING_SECRET"]) {
    process.env[name] ??= secrets[name] ?? "admin-cli-placeholder-secret-never-used-to-sign";
  }
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: "string" },
        credits: { type: "string" },
        reason: { type: "string" },
        uses: { type: "string" },
        expires: { type: "string" },
        note: { type: "string" },
        state: { type: "string" },
        reseller: { type: "string" },
        user: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        error: { type: "string" },
        take: { type: "string" },
        cursor: { type: "string" },
        priority: { type: "string" },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return usage(2);
  }
}

function usage(code: number): never {
  (code === 0 ? console.log : console.error)(USAGE);
  process.exit(code);
}
