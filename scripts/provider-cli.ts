// Operator CLI for the Reve resellers, on the same adapters the studio uses:
//   npm run provider -- <create|edit|remix|status|doctor> --provider <id> [options]
// Prints one JSON document on stdout. Exit 0: submitted or succeeded; 1: failed; 2: bad arguments.

import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

import {
  ASPECT_RATIOS,
  OPERATIONS,
  PROVIDER_IDS,
  SEED_MAX,
  type AspectRatio,
  type Operation,
  type ProviderId,
} from "@/lib/domain";
import type { Env } from "@/server/env";
import type { GenerationRequest, NormalizedStatus, ReveProvider } from "@/server/providers/types";

const USAGE = `Usage: npm run provider -- <command> [options]

Commands:
  create | edit | remix   send one job (billable at a real provider)
  status                  read a job's status (needs --id)
  doctor                  check each provider: configuration, then one request that creates
                          nothing (a status read of an id that cannot exist) for reachability,
                          key and latency; exits 1 when a configured provider fails

Options:
  --provider <${PROVIDER_IDS.join("|")}>   required except for doctor
  --prompt TEXT        the prompt (create, edit, remix)
  --image URL          the image to edit (edit)
  --ref URL            a reference image (remix; repeat 1-4 times)
  --ratio RATIO        aspect ratio: ${ASPECT_RATIOS.join(", ")}
  --seed N             seed, an integer from 0 to ${SEED_MAX}
  --negative TEXT      negative prompt
  --callback URL       webhook URL, for providers that call back
  --id JOBID           the provider's job id (status)
  --wait               poll until the job succeeds or fails
  --raw                also print the provider's raw answers (scrubbed, last five): those of this
                       run, and those the studio kept for the job when its database is reachable
  --help               show this text`;

class UsageError extends Error {}

const COMMANDS = [...OPERATIONS, "status", "doctor"] as const;
type Command = (typeof COMMANDS)[number];

function parseCommandLine(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      provider: { type: "string" },
      prompt: { type: "string" },
      image: { type: "string" },
      ref: { type: "string", multiple: true },
      ratio: { type: "string" },
      seed: { type: "string" },
      negative: { type: "string" },
      callback: { type: "string" },
      id: { type: "string" },
      wait: { type: "boolean", default: false },
      raw: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return { help: true as const };
  const [command, ...extra] = positionals;
  if (!command || !(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(command ? `Unknown command "${command}".` : "A command is required.");
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const provider = values.provider;
  if (provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw new UsageError(`Unknown provider "${provider}".`);
  }
  if (command !== "doctor" && provider === undefined) throw new UsageError("--provider is required.");
  if (values.ratio !== undefined && !(ASPECT_RATIOS as readonly string[]).includes(values.ratio)) {
    throw new UsageError(`Unknown aspect ratio "${values.ratio}".`);
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed) || seed > SEED_MAX) {
      throw new UsageError(`--seed must be an integer from 0 to ${SEED_MAX}.`);
    }
  }
  if ((OPERATIONS as readonly string[]).includes(command) && !values.prompt?.trim()) {
    throw new UsageError("--prompt is required.");
  }
  if (command === "status" && !values.id) throw new UsageError("--id is required for status.");
  const imageUrls = command === "edit" ? (values.image ? [values.image] : []) : (values.ref ?? []);
  if (command === "edit" && imageUrls.length === 0) throw new UsageError("--image is required for edit.");
  if (command === "remix" && imageUrls.length === 0) throw new UsageError("--ref is required for remix.");
  const request: GenerationRequest = {
    prompt: values.prompt ?? "",
    ...(values.negative !== undefined ? { negativePrompt: values.negative } : {}),
    ...(values.ratio !== undefined ? { aspectRatio: values.ratio as AspectRatio } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(imageUrls.length > 0 ? { imageUrls } : {}),
  };
  return {
    help: false as const,
    command: command as Command,
    provider: provider as ProviderId | undefined,
    request,
    id: values.id,
    callback: values.callback,
    wait: values.wait,
    raw: values.raw,
  };
}

function loadEnvironment() {
  for (const file of [".env.local", ".env"]) if (existsSync(file)) process.loadEnvFile(file);
  // The server's signing secrets are required by the env schema but never used here.
  process.env.AUTH_SECRET ||= "provider-cli-placeholder-secret-never-used";
  process.env.MEDIA_SIGNING_SECRET ||= "provider-cli-placeholder-secret-never-used";
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isTerminal = (status: NormalizedStatus) => status.state === "succeeded" || status.state === "failed";

async function waitForEnd(provider: ReveProvider, first: NormalizedStatus, deadlineMs: number) {
  let status = first;
  let delay = 500;
  const deadline = Date.now() + deadlineMs;
  while (!isTerminal(status) && Date.now() < deadline) {
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 1.5, 5000);
    status = await provider.getStatus(status.providerJobId);
  }
  return status;
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    const message =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
        ? (error as Error).message
        : "Could not read the arguments.";
    process.stderr.write(`${message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  loadEnvironment();
  let env: Env;
  try {
    ({ env } = await import("@/server/env"));
  } catch (error) {
    // The env parser names each bad variable and never echoes a value.
    process.stderr.write(`${error instanceof Error ? error.message : "Invalid environment."}\n`);
    return 2;
  }
  const { providerConfigFromEnv } = await import("@/server/providers/config");
  const { createProviderRegistry, outboundLimiterFor } = await import("@/server/providers/registry");
  const { isProviderError } = await import("@/server/providers/http-client");
  const { collectAnswers } = await import("@/server/providers/answers");
  const config = providerConfigFromEnv(env);
  // The CLI runs alone: its outbound limits are counted in memory.
  const registry = createProviderRegistry(config, { limiter: outboundLimiterFor(config, "memory") });

  if (args.command === "doctor") {
    const { runDoctor } = await import("@/server/providers/doctor");
    const report = await runDoctor(registry, env, args.provider);
    print(report);
    return report.ok ? 0 : 1;
  }

  const id = args.provider as ProviderId;
  if (!registry.isEnabled(id)) {
    print({
      ok: false,
      provider: id,
      error: { code: "provider_disabled", message: registry.config[id].disabledReason ?? "Not enabled." },
    });
    return 1;
  }
  const provider = registry.get(id);
  const run = await collectAnswers(async () => {
    const first =
      args.command === "status"
        ? await provider.getStatus(args.id as string)
        : await provider.submit(
            args.command as Operation,
            args.request,
            args.callback ? { callbackUrl: args.callback } : {},
          );
    return args.wait ? waitForEnd(provider, first, env.JOB_DEADLINE_SECONDS * 1000) : first;
  });
  const raw = args.raw
    ? {
        raw: run.answers.slice(-5),
        ...(args.command === "status"
          ? { kept: await keptAnswers(id, args.id as string, env.DATABASE_URL) }
          : {}),
      }
    : {};
  if (run.ok && run.result) {
    const status = run.result;
    if (args.wait && !isTerminal(status)) {
      print({
        ok: false,
        provider: id,
        result: status,
        error: {
          code: "timeout",
          message: `The job did not finish within ${env.JOB_DEADLINE_SECONDS} seconds.`,
        },
        ...raw,
      });
      return 1;
    }
    print({ ok: status.state !== "failed", provider: id, result: status, ...raw });
    return status.state === "failed" ? 1 : 0;
  }
  const error = run.error;
  if (isProviderError(error)) {
    print({ ok: false, provider: id, error: error.toJSON(), ...raw });
  } else {
    // Unknown errors may carry anything; only their class is shown.
    print({
      ok: false,
      provider: id,
      error: { code: "internal", message: `Unexpected ${(error as Error)?.name ?? "error"}.` },
    });
  }
  return 1;
}

/**
 * The answers the studio kept for the job with this provider job id, newest first, when its
 * database can be opened from here (PostgreSQL; a PGlite folder a running studio holds cannot).
 */
async function keptAnswers(provider: ProviderId, providerJobId: string, databaseUrl?: string) {
  if (!databaseUrl) return { note: "Set DATABASE_URL to read the answers the studio kept." };
  const { createPrismaClient } = await import("@/server/db/client");
  const db = createPrismaClient({ databaseUrl });
  try {
    const job = await db.generation.findFirst({ where: { provider, providerJobId }, select: { id: true } });
    if (!job) return { note: "The studio has no job with this id." };
    const { answersOf } = await import("@/server/generations/answers");
    return { generationId: job.id, answers: await answersOf({ db }, job.id) };
  } catch {
    return { note: "The studio's database could not be read." };
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`provider-cli: unexpected ${(error as Error)?.name ?? "error"}\n`);
    process.exitCode = 1;
  },
);
