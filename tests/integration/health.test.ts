import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type * as HealthRoute from "@/app/api/health/route";
import { setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";

import { installAppDb, makeUser } from "../helpers/app-db";
import type { TestDb } from "../helpers/test-db";
import { DB_KINDS } from "../helpers/test-db";

describe.each(DB_KINDS)("GET /api/health on %s", (kind) => {
  let t: TestDb;
  let GET: typeof HealthRoute.GET;

  beforeAll(async () => {
    t = await installAppDb(kind);
    ({ GET } = await import("@/app/api/health/route"));
  });
  afterAll(async () => {
    await t?.close();
  });

  const read = async () => {
    const response = await GET(new Request("http://localhost/api/health"));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("says ok while the database answers, and degraded while a job sits open past its deadline", async () => {
    expect(await read()).toEqual({ status: 200, body: { status: "ok", database: "up", overdueJobs: 0 } });

    const user = await makeUser(t.db, 0);
    const job = await t.db.generation.create({
      data: {
        userId: user.id,
        kind: "create",
        prompt: "stuck",
        requestedProvider: "auto",
        status: "processing",
        cost: 0,
        deadlineAt: new Date(Date.now() - 5 * 60_000),
      },
    });
    expect(await read()).toEqual({
      status: 200,
      body: { status: "degraded", database: "up", overdueJobs: 1 },
    });

    // Once the sweeper has failed it, the instance is healthy again.
    await t.db.generation.update({ where: { id: job.id }, data: { status: "failed" } });
    expect((await read()).body.status).toBe("ok");
  });

  it("answers 503 when the database cannot be reached, and names nothing of it", async () => {
    setDb({
      generation: { count: () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.5:5432")) },
    } as unknown as PrismaClient);
    try {
      const { status, body } = await read();
      expect(status).toBe(503);
      expect(body).toEqual({ status: "unavailable", database: "down", overdueJobs: null });
    } finally {
      setDb(t.db);
    }
  });
});
