import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { startSilentServer, type SilentServer } from "@/bench/lib/silent-server";
import type { LifecycleDeps } from "@/server/generations/deps";
import { createPoller, type Poller } from "@/server/generations/poller";
import { submitGeneration } from "@/server/generations/submit";

import { makeUser } from "../helpers/app-db";
import { createLifecycleHarness, type LifecycleHarness } from "../helpers/lifecycle";
import { assertLedgerConserved, DB_KINDS } from "../helpers/test-db";

// The background poller works on several jobs at once: a job whose images take long to download
// (here: forever, from a server that accepts and never answers) keeps its slot, and the jobs that
// come due meanwhile are still polled and finished. Waits are for states the database shows.

describe.each(DB_KINDS)("background poller on %s", (kind) => {
  let h: LifecycleHarness;
  let deps: LifecycleDeps;
  let silent: SilentServer;
  let poller: Poller | undefined;

  beforeAll(async () => {
    silent = await startSilentServer();
    h = await createLifecycleHarness(kind, { config: { webhookBaseUrl: undefined } });
    const { download } = h.deps.config;
    deps = h.restart({
      download: { ...download, allowHosts: [...download.allowHosts, silent.host], timeoutMs: 600_000 },
    });
  });
  afterAll(async () => {
    // The hung download fails once its connection drops; then the poller can stop.
    await silent?.close();
    await poller?.stop();
    await assertLedgerConserved(h.t.db);
    await h?.close();
  });

  it("finishes a job that comes due while another job's download hangs", async () => {
    const user = await makeUser(h.t.db, 10);
    const status = async (id: string) =>
      (await h.t.db.generation.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

    h.emulator.configure({ publicUrl: silent.url });
    const stuck = await submitGeneration(deps, {
      userId: user.id,
      kind: "create",
      prompt: "stuck in its download",
      provider: "apiframe",
    });
    poller = createPoller(deps, 50);
    await vi.waitFor(() => expect(silent.connections()).toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 50,
    });

    h.emulator.configure({ publicUrl: "" });
    const free = await submitGeneration(deps, {
      userId: user.id,
      kind: "create",
      prompt: "downloads at once",
      provider: "apiframe",
    });
    await vi.waitFor(async () => expect(await status(free.generationId)).toBe("succeeded"), {
      timeout: 30_000,
      interval: 100,
    });
    // The first job is still in its download: its poll did not hold the second one back.
    expect(["queued", "processing"]).toContain(await status(stuck.generationId));
    expect(silent.connections()).toBeGreaterThan(0);
  });
});
