import { isValidElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as ListRouteModule from "@/app/api/generations/route";

import type { GenerationPage } from "@/lib/dto";

import { makeUser } from "../helpers/app-db";
import { signInAs, signOutAll } from "../helpers/session-mock";
import { assertLedgerConserved, DB_KINDS, type TestDb } from "../helpers/test-db";
import { loadStudio, seedGeneration } from "./support/studio";

vi.mock("@/server/auth/session", () => import("../helpers/session-mock"));

const SEEDS = [
  { kind: "create", status: "succeeded", prompt: "A lighthouse at dusk", favorite: true },
  { kind: "create", status: "failed", prompt: "a red bicycle" },
  { kind: "edit", status: "succeeded", prompt: "make the LIGHTHOUSE taller" },
  { kind: "edit", status: "processing", prompt: "add snow" },
  { kind: "remix", status: "succeeded", prompt: "mix the cat and the dog", favorite: true },
  { kind: "remix", status: "queued", prompt: "a 50% grey cat" },
  { kind: "create", status: "submitting", prompt: "a forest path" },
  { kind: "create", status: "succeeded", prompt: "a lighthouse in fog" },
  { kind: "edit", status: "succeeded", prompt: "sharpen" },
  { kind: "create", status: "succeeded", prompt: "500 balloons, a_b\\c" },
] as const;

describe.each(DB_KINDS)("GET /api/generations on %s", (kind) => {
  let t: TestDb;
  let route: typeof ListRouteModule;
  let owner: { id: string };
  let other: { id: string };
  /** The owner's generation ids, newest first. */
  let newestFirst: string[];

  beforeAll(async () => {
    t = await loadStudio(kind);
    route = await import("@/app/api/generations/route");
    owner = await makeUser(t.db);
    other = await makeUser(t.db);
    const base = Date.UTC(2026, 0, 1);
    const seeded: { id: string; at: number }[] = [];
    for (const [i, seed] of SEEDS.entries()) {
      // Three share one instant, so paging must break ties on the id.
      const at = base + (i >= 3 && i <= 5 ? 3 : i) * 60_000;
      const { generation } = await seedGeneration(t.db, owner.id, {
        ...seed,
        outputs: 0,
        createdAt: new Date(at),
      });
      seeded.push({ id: generation.id, at });
    }
    newestFirst = seeded
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((g) => g.id);
    for (const seed of SEEDS.slice(0, 4)) {
      await seedGeneration(t.db, other.id, { ...seed, outputs: 0 });
    }
    const { generation: deleted } = await seedGeneration(t.db, owner.id, {
      prompt: "a lighthouse, deleted",
      outputs: 0,
    });
    await t.db.generation.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
  });
  afterAll(async () => {
    if (t) await assertLedgerConserved(t.db);
    await t?.close();
  });

  async function list(query: string) {
    const response = await route.GET(new Request(`http://localhost/api/generations${query}`));
    return response;
  }

  async function page(query: string): Promise<GenerationPage> {
    const response = await list(query);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    return (await response.json()) as GenerationPage;
  }

  it("pages through every generation newest first, without duplicates or gaps", async () => {
    signInAs(owner);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result: GenerationPage = await page(`?take=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(result.items.length).toBeLessThanOrEqual(3);
      seen.push(...result.items.map((g) => g.id));
      cursor = result.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(newestFirst);
  });

  it("filters by kind, status, favorite and prompt text", async () => {
    signInAs(owner);
    const edits = await page("?kind=edit");
    expect(edits.items.map((g) => g.prompt).sort()).toEqual([
      "add snow",
      "make the LIGHTHOUSE taller",
      "sharpen",
    ]);
    const failed = await page("?status=failed");
    expect(failed.items.map((g) => g.prompt)).toEqual(["a red bicycle"]);
    const favorites = await page("?favorite=1");
    expect(favorites.items.map((g) => g.prompt).sort()).toEqual([
      "A lighthouse at dusk",
      "mix the cat and the dog",
    ]);
    expect(favorites.items.every((g) => g.favorite)).toBe(true);
    const search = await page("?q=lighthouse");
    expect(search.items.map((g) => g.prompt).sort()).toEqual([
      "A lighthouse at dusk",
      "a lighthouse in fog",
      "make the LIGHTHOUSE taller",
    ]);
    const combined = await page("?kind=create&status=succeeded&q=LIGHTHOUSE&favorite=1");
    expect(combined.items.map((g) => g.prompt)).toEqual(["A lighthouse at dusk"]);
    const all = await page("?kind=&status=&q=&favorite=");
    expect(all.items).toHaveLength(SEEDS.length);
  });

  it("matches search text literally, not as a pattern", async () => {
    signInAs(owner);
    const percent = await page(`?q=${encodeURIComponent("50%")}`);
    expect(percent.items.map((g) => g.prompt)).toEqual(["a 50% grey cat"]);
    expect((await page("?q=_")).items.map((g) => g.prompt)).toEqual(["500 balloons, a_b\\c"]);
    expect((await page(`?q=${encodeURIComponent("b\\c")}`)).items.map((g) => g.prompt)).toEqual([
      "500 balloons, a_b\\c",
    ]);
  });

  // The server-rendered page runs its own first query: it must find the same literal matches.
  async function renderedPage(searchParams: Record<string, string>): Promise<GenerationPage> {
    const { default: GalleryPage } = await import("@/app/(studio)/gallery/page");
    const tree = await GalleryPage({ searchParams: Promise.resolve(searchParams) });
    const view = findProps<{ initialPage: GenerationPage }>(tree, "initialPage");
    if (!view) throw new Error("The gallery page rendered no gallery view.");
    return view.initialPage;
  }

  it("the gallery page matches %, _ and \\ searches literally, as the API does", async () => {
    signInAs(owner);
    expect((await renderedPage({ q: "50%" })).items.map((g) => g.prompt)).toEqual(["a 50% grey cat"]);
    expect((await renderedPage({ q: "a_b" })).items.map((g) => g.prompt)).toEqual(["500 balloons, a_b\\c"]);
    expect((await renderedPage({ q: "_" })).items.map((g) => g.prompt)).toEqual(["500 balloons, a_b\\c"]);
    expect((await renderedPage({ q: "b\\c" })).items.map((g) => g.prompt)).toEqual(["500 balloons, a_b\\c"]);
    expect(
      (await renderedPage({ q: "lighthouse", kind: "create" })).items.map((g) => g.prompt).sort(),
    ).toEqual(["A lighthouse at dusk", "a lighthouse in fog"]);
  });

  it("never lists another user's generations", async () => {
    signInAs(other);
    const result = await page("?take=100");
    expect(result.items).toHaveLength(4);
    expect(result.items.some((g) => newestFirst.includes(g.id))).toBe(false);
    signInAs(await makeUser(t.db));
    expect((await page("")).items).toEqual([]);
  });

  it.each([
    ["?kind=video", /kind must be one of create, edit, remix/],
    ["?status=done", /status must be one of/],
    ["?take=0", /take must be a whole number from 1 to 100/],
    ["?take=101", /take must be a whole number from 1 to 100/],
    ["?take=abc", /take must be a whole number from 1 to 100/],
    ["?take=2.5", /take must be a whole number from 1 to 100/],
    ["?favorite=yes", /favorite must be 1 or 0/],
    [`?q=${"a".repeat(201)}`, /at most 200 characters/],
    ["?cursor=not-a-cursor", /cursor is not valid/],
    [`?cursor=${Buffer.from("2026-01-01T00:00:00.000Z|a|b").toString("base64url")}`, /cursor is not valid/],
  ])("answers 400 to %s", async (query, message) => {
    signInAs(owner);
    const response = await list(query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.message).toMatch(message);
  });

  it("answers 401 to an anonymous request", async () => {
    signOutAll();
    expect((await list("")).status).toBe(401);
  });
});

/** The props of the first element in a rendered tree that has `prop`. */
function findProps<P>(node: unknown, prop: string): P | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findProps<P>(child, prop);
      if (found) return found;
    }
    return undefined;
  }
  if (!isValidElement(node)) return undefined;
  const props = node.props as Record<string, unknown>;
  return prop in props ? (props as P) : findProps<P>(props.children, prop);
}
