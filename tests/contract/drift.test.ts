import { emulatorConfig } from "./support/config";

import { describe, expect, it } from "vitest";

import type { Operation, ProviderId } from "@/lib/domain";
import { createProviderRegistry } from "@/server/providers/registry";
import type { GenerationRequest, ReveProvider } from "@/server/providers/types";

import { NO_WAIT_RETRY, rejectionOf, untilTerminal, useEmulatorWithImages } from "./support/emulator";

// Every reseller, answering in the variants its document leaves open (emulator drift markers):
// the adapters finish what finished, fail what failed, and keep waiting on what is still running.

const servers = useEmulatorWithImages({ jobMs: 600 });

const registry = () => createProviderRegistry(emulatorConfig(servers.emu.port), { retry: NO_WAIT_RETRY });

const JOBS: Record<ProviderId, { op: Operation; input: (prompt: string) => GenerationRequest }> = {
  apiframe: { op: "create", input: (prompt) => ({ prompt }) },
  reveart: { op: "create", input: (prompt) => ({ prompt }) },
  reve2img: { op: "create", input: (prompt) => ({ prompt }) },
  pixazo: { op: "edit", input: (prompt) => ({ prompt, imageUrls: [`${servers.images.url}/a.png`] }) },
};
const PROVIDERS = Object.keys(JOBS) as ProviderId[];

function send(id: ProviderId, markers: string): ReturnType<ReveProvider["submit"]> {
  const { op, input } = JOBS[id];
  return registry()
    .get(id)
    .submit(op, input(`a lighthouse ${markers}`));
}

/** Submits, then reads the status until the job ends. */
async function follow(id: ProviderId, markers: string) {
  const first = await send(id, markers);
  const status = await untilTerminal(registry().get(id), first, 15_000);
  return { first, status };
}

describe.each(PROVIDERS)("%s answering in the documents' open variants", (id) => {
  it("reads the job id under another name ([emu:id]) and succeeds", async () => {
    const { first, status } = await follow(id, "[emu:id]");
    expect(first.providerJobId).toEqual(expect.any(String));
    expect(status).toMatchObject({ state: "succeeded", providerJobId: first.providerJobId });
  });

  it("keeps the job running through an undocumented in-between state ([emu:inbetween])", async () => {
    const provider = registry().get(id);
    const first = await send(id, "[emu:inbetween][emu:slow=4000]");
    // Past the queued share of the job, the emulator answers its undocumented in-between state.
    let status = await provider.getStatus(first.providerJobId);
    const deadline = Date.now() + 60_000;
    while (status.state === "queued" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = await provider.getStatus(first.providerJobId);
    }
    expect(status).toEqual({ state: "processing", providerJobId: first.providerJobId });
    expect(await untilTerminal(provider, status, 15_000)).toMatchObject({ state: "succeeded" });
  });

  it("reads a single URL where a list is documented ([emu:oneurl])", async () => {
    const { status } = await follow(id, "[emu:oneurl]");
    expect(status).toMatchObject({
      state: "succeeded",
      outputs: [{ url: expect.stringContaining("/files/") }],
    });
  });

  it("ends a failed job whose error carries a numeric code ([emu:numcode])", async () => {
    const { status } = await follow(id, "[emu:fail][emu:numcode]");
    expect(status).toMatchObject({ state: "failed", failure: { code: "provider_error" } });
  });

  it("follows a status URL that redirects to a trailing slash ([emu:slash])", async () => {
    const { first, status } = await follow(id, "[emu:slash]");
    expect(status).toMatchObject({ state: "succeeded" });
    const reads = servers.emu
      .requests()
      .filter((r) => r.method === "GET" && r.fullPath.includes(first.providerJobId));
    expect(reads.some((r) => r.status === 301)).toBe(true);
  });

  it("reads a 429's Retry-After ([emu:429][emu:retryafter=7])", async () => {
    expect(await rejectionOf(send(id, "[emu:429][emu:retryafter=7]"))).toMatchObject({
      code: "rate_limited",
      retryAfterMs: 7000,
      ambiguous: false,
    });
  });

  it("calls a gateway 502 after the reseller took the job ambiguous ([emu:gateway502])", async () => {
    expect(await rejectionOf(send(id, "[emu:gateway502]"))).toMatchObject({
      httpStatus: 502,
      ambiguous: true,
    });
  });

  it("reads a refused status read as provider_auth ([emu:status401]), never as a failed job", async () => {
    const first = await send(id, "[emu:status401]");
    expect(await rejectionOf(registry().get(id).getStatus(first.providerJobId))).toMatchObject({
      code: "provider_auth",
      httpStatus: 401,
    });
  });

  it("reads a submit refused for balance as a certain refusal ([emu:402])", async () => {
    expect(await rejectionOf(send(id, "[emu:402]"))).toMatchObject({
      code: "provider_quota",
      ambiguous: false,
    });
  });
});
