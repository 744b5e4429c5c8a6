import { describe, expect, it } from "vitest";

import type { LoggedRequest } from "@/emulator/server";

import { overlappingCalls, statusCallJob, statusCallsByJob } from "./support/poll-log";

function call(
  provider: LoggedRequest["provider"],
  path: string,
  startedAt: number,
  endedAt: number,
  query = {},
) {
  return {
    seq: 0,
    provider,
    method: "GET",
    path,
    fullPath: path,
    query,
    headers: {},
    body: null,
    status: 200,
    startedAt,
    endedAt,
  } satisfies LoggedRequest;
}

describe("the scale test's reading of the emulator log", () => {
  it("names the job of each reseller's status read and ignores everything else", () => {
    expect(statusCallJob(call("apiframe", "/v2/jobs/j1", 0, 1))).toBe("apiframe:j1");
    expect(statusCallJob(call("pixazo", "/v2/requests/status/p1", 0, 1))).toBe("pixazo:p1");
    expect(statusCallJob(call("reveart", "/v1/reve-image/status/r1/", 0, 1))).toBe("reveart:r1");
    expect(statusCallJob(call("reve2img", "/api/v1/status", 0, 1, { task_id: "t1" }))).toBe("reve2img:t1");
    expect(
      statusCallJob({ ...call("apiframe", "/v2/images/generate", 0, 1), method: "POST" }),
    ).toBeUndefined();
    expect(statusCallJob(call("files", "/abc.png", 0, 1))).toBeUndefined();
  });

  it("finds two calls about one job in flight at once, and only those", () => {
    const byJob = statusCallsByJob([
      call("apiframe", "/v2/jobs/j1", 100, 150),
      call("apiframe", "/v2/jobs/j1", 150, 160), // starts as the first ends: sequential
      call("apiframe", "/v2/jobs/j2", 100, 300),
      call("apiframe", "/v2/jobs/j2", 120, 130), // inside the first: overlap
      call("apiframe", "/v2/jobs/j2", 250, 260), // still inside the first: overlap
      call("reveart", "/v1/reve-image/status/j1", 100, 200), // another provider's job of the same id
    ]);
    const overlaps = overlappingCalls(byJob);
    expect(overlaps.map((o) => [o.job, o.second.startedAt])).toEqual([
      ["apiframe:j2", 120],
      ["apiframe:j2", 250],
    ]);
  });
});
