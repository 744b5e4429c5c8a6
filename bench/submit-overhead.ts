// Submit overhead: from the moment a signed-in user's server action request leaves the client to
// the moment the provider request reaches the reseller (the emulator's logged `startedAt`), both on
// this machine's clock. The baseline is a bare Node proxy forwarding the same body to the same
// emulator, measured in the same run.
import { randomUUID } from "node:crypto";

import type { Bench, BenchResult } from "./lib/bench";
import { startBareServer } from "./lib/bare-process";
import type { EmulatorProcess } from "./lib/emulator-process";
import { startBenchStack } from "./lib/stack";
import { fmt, markdownTable, percentile, verdict } from "./lib/stats";
import {
  callAction,
  createUsers,
  findAction,
  signIn,
  timedRequest,
  type ActionRef,
} from "./lib/studio-client";

const USERS = 50;
const SINGLE_USER_SUBMITS = 200;
const PACED_SUBMITS_PER_USER = 6;
// The studio's default limit is 10 submits a minute per user: 50 users at that limit are the most
// load 50 signed-in people can put on it.
const PACE_MS = 60_000 / 10;
const BURSTS = 10;
const TARGET_P50_MS = 15;
const TARGET_P99_MS = 50;

interface Sender {
  label: string;
  /** Sends one submit carrying `prompt` as user `user`; returns the client's send time (Date.now()). */
  send(prompt: string, user: number): Promise<number>;
}

/**
 * How the users submit. `sequential`: one user, back to back. `paced`: every user active at once,
 * each submitting as often as the default rate limit allows (every 6 s on average), starts
 * spread over the first interval. `burst`: all users press submit in the same millisecond.
 */
type Load =
  | { kind: "sequential"; submits: number }
  | { kind: "paced"; users: number; perUser: number }
  | {
      kind: "burst";
      users: number;
      bursts: number;
    };

interface Sample {
  overheadMs: number;
  roundTripMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drive(sender: Sender, load: Load, sent: Map<string, { sentAt: number; roundTripMs: number }>) {
  const one = async (user: number) => {
    const prompt = `bench submit ${randomUUID()}`;
    const t0 = performance.now();
    const sentAt = await sender.send(prompt, user);
    sent.set(prompt, { sentAt, roundTripMs: performance.now() - t0 });
  };
  if (load.kind === "sequential") {
    for (let i = 0; i < load.submits; i++) await one(0);
  } else if (load.kind === "paced") {
    await Promise.all(
      Array.from({ length: load.users }, async (_, user) => {
        await sleep(Math.random() * PACE_MS);
        for (let i = 0; i < load.perUser; i++) {
          const next = performance.now() + PACE_MS * (0.5 + Math.random());
          await one(user);
          await sleep(Math.max(0, next - performance.now()));
        }
      }),
    );
  } else {
    for (let b = 0; b < load.bursts; b++) {
      await Promise.all(Array.from({ length: load.users }, (_, user) => one(user)));
      await sleep(200);
    }
  }
}

async function measure(
  sender: Sender,
  emulator: EmulatorProcess,
  load: Load,
): Promise<{ samples: Sample[]; missing: number }> {
  const sent = new Map<string, { sentAt: number; roundTripMs: number }>();
  await emulator.clearRequests();
  await drive(sender, load, sent);
  const arrived = new Map<string, number>();
  for (const entry of await emulator.requests()) {
    const prompt = (entry.body as { prompt?: unknown } | null)?.prompt;
    if (entry.method === "POST" && typeof prompt === "string") arrived.set(prompt, entry.startedAt);
  }
  const samples: Sample[] = [];
  for (const [prompt, { sentAt, roundTripMs }] of sent) {
    const startedAt = arrived.get(prompt);
    if (startedAt !== undefined) samples.push({ overheadMs: startedAt - sentAt, roundTripMs });
  }
  return { samples, missing: sent.size - samples.length };
}

async function run(): Promise<BenchResult> {
  const stack = await startBenchStack("submit", {
    // Only the submit path is measured: no webhook deliveries or background polls competing with it.
    env: { WEBHOOKS_ENABLED: "false", POLLER_ENABLED: "false" },
  });
  const proxy = await startBareServer("proxy", stack.emulator.url);
  try {
    const users = await createUsers(stack.db.db, USERS, 100_000);
    const cookies = await Promise.all(users.map((u) => signIn(stack.studio.url, u.email)));
    const action: ActionRef = findAction("server/actions/create-image.ts", "createImage");
    let failures = 0;

    const studio: Sender = {
      label: "studio (server action)",
      async send(prompt, user) {
        const { outcome, response } = await callAction(
          stack.studio.url,
          action,
          [{ prompt, aspectRatio: "1:1", provider: "auto" }],
          cookies[user]!,
        );
        if (!outcome.ok) failures++;
        return response.sentAt;
      },
    };
    const baseline: Sender = {
      label: "bare Node proxy",
      async send(prompt) {
        const response = await timedRequest(proxy.url, {
          method: "POST",
          headers: { "content-type": "text/plain;charset=UTF-8" },
          body: JSON.stringify([{ prompt, aspectRatio: "1:1", provider: "auto" }]),
        });
        if (response.status >= 300) failures++;
        return response.sentAt;
      },
    };

    const rows: (string | number)[][] = [];
    const figures: Record<string, { p50: number; p99: number }> = {};
    const loads: [string, Load, Load][] = [
      ["1 user", { kind: "sequential", submits: SINGLE_USER_SUBMITS }, { kind: "sequential", submits: 10 }],
      [
        `${USERS} users at the rate limit`,
        { kind: "paced", users: USERS, perUser: PACED_SUBMITS_PER_USER },
        { kind: "paced", users: USERS, perUser: 1 },
      ],
      [
        `${USERS} users at once`,
        { kind: "burst", users: USERS, bursts: BURSTS },
        { kind: "burst", users: USERS, bursts: 1 },
      ],
    ];
    for (const [label, load, warmup] of loads) {
      for (const sender of [baseline, studio]) {
        await measure(sender, stack.emulator, warmup);
        const { samples, missing } = await measure(sender, stack.emulator, load);
        const overhead = samples.map((s) => s.overheadMs);
        const p50 = percentile(overhead, 50);
        const p99 = percentile(overhead, 99);
        figures[`${sender.label}@${label}`] = { p50, p99 };
        rows.push([
          label,
          sender.label,
          samples.length,
          missing,
          fmt(p50, 0),
          fmt(p99, 0),
          fmt(
            percentile(
              samples.map((s) => s.roundTripMs),
              50,
            ),
          ),
        ]);
      }
    }
    if (failures > 0) throw new Error(`${failures} submits failed during the bench.`);

    const paced = `${USERS} users at the rate limit`;
    const at50 = figures[`${studio.label}@${paced}`]!;
    const base50 = figures[`${baseline.label}@${paced}`]!;
    const at1 = figures[`${studio.label}@1 user`]!;
    const burst = figures[`${studio.label}@${USERS} users at once`]!;
    const met = at50.p50 <= TARGET_P50_MS && at50.p99 <= TARGET_P99_MS;
    return {
      title: "Submit overhead",
      method:
        "Server action `createImage` called over HTTP (action id from the build's server reference manifest, " +
        "session from the Auth.js credentials callback); overhead = emulator `startedAt` of the provider POST " +
        "minus the client's send time, in ms (1 ms clock). Poller and webhooks off so only the submit path runs. " +
        "The targets apply to 50 users active at once, each submitting as often as the default limit " +
        "(10 a minute) allows, at random moments; `at once` is all 50 pressing submit in the same millisecond.",
      table: markdownTable(
        ["load", "sender", "samples", "missing", "p50 ms", "p99 ms", "round trip p50 ms"],
        rows,
      ),
      summary:
        `Submit overhead at ${USERS} active users: p50 ${fmt(at50.p50, 0)} ms, p99 ${fmt(at50.p99, 0)} ms ` +
        `(targets ≤ ${TARGET_P50_MS} / ≤ ${TARGET_P99_MS}: ${verdict(met)}; bare proxy ${fmt(base50.p50, 0)} / ` +
        `${fmt(base50.p99, 0)} ms); 1 user p50 ${fmt(at1.p50, 0)} ms; all ${USERS} in the same instant ` +
        `p50 ${fmt(burst.p50, 0)} ms, p99 ${fmt(burst.p99, 0)} ms.`,
      targetsMet: met,
    };
  } finally {
    await proxy.stop();
    await stack.close();
  }
}

export const submitOverhead: Bench = { name: "submit", run };
