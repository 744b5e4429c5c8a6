import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { isBuiltAction } from "@/server/action";
import { isWrappedRoute } from "@/server/http";

// Every server action is made by the action builder and every route handler by a route wrapper,
// so each one checks the session, parses its input and answers errors the same way. A new action
// or route written by hand fails here, as one left out of the authorization matrix fails there.

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(path.resolve(dir), { recursive: true });
  return entries
    .filter((e) => e.endsWith(suffix))
    .map((e) => path.join(dir, e))
    .sort();
}

describe("entry points", () => {
  it("every export of every server action module comes from the action builder", async () => {
    const bypassing: string[] = [];
    let count = 0;
    for (const file of await filesUnder("server/actions", ".ts")) {
      const source = await readFile(file, "utf8");
      if (!/^\s*["']use server["']/.test(source)) continue;
      const mod = (await import(/* @vite-ignore */ `@/${file.replace(/\.ts$/, "")}`)) as Record<
        string,
        unknown
      >;
      for (const [name, value] of Object.entries(mod)) {
        count += 1;
        if (!isBuiltAction(value)) bypassing.push(`${file}:${name}`);
      }
    }
    expect(count).toBeGreaterThanOrEqual(9);
    expect(bypassing).toEqual([]);
  });

  it("no module outside server/actions declares server actions", async () => {
    const declaring: string[] = [];
    for (const dir of ["app", "components", "hooks", "lib", "server"]) {
      for (const file of [...(await filesUnder(dir, ".ts")), ...(await filesUnder(dir, ".tsx"))]) {
        if (file.startsWith(`server${path.sep}actions${path.sep}`)) continue;
        if (/^\s*["']use server["'];?\s*$/m.test(await readFile(file, "utf8"))) declaring.push(file);
      }
    }
    expect(declaring).toEqual([]);
  });

  it("every method of every route handler comes from a route wrapper", async () => {
    const bypassing: string[] = [];
    let count = 0;
    for (const file of await filesUnder("app", "route.ts")) {
      const mod = (await import(/* @vite-ignore */ `@/${file.replace(/\.ts$/, "")}`)) as Record<
        string,
        unknown
      >;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== "function" && !HTTP_METHODS.includes(name)) continue;
        count += 1;
        if (!isWrappedRoute(value)) bypassing.push(`${file}:${name}`);
      }
    }
    expect(count).toBeGreaterThanOrEqual(11);
    expect(bypassing).toEqual([]);
  });

  it("pages and routes reach the database only through server/ modules", async () => {
    const direct: string[] = [];
    for (const file of [...(await filesUnder("app", ".ts")), ...(await filesUnder("app", ".tsx"))]) {
      if (/from ["']@\/server\/db\//.test(await readFile(file, "utf8"))) direct.push(file);
    }
    expect(direct).toEqual([]);
  });
});
