import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

// Strict-Transport-Security on pages (proxy.ts) and route handlers (server/http.ts) when the
// studio is served over https; never on a plain-http studio, which must stay reachable locally.

const HSTS = "max-age=63072000; includeSubDomains";

async function answersAt(appUrl: string) {
  vi.resetModules();
  vi.stubEnv("APP_URL", appUrl);
  const { proxy } = await import("@/proxy");
  const page = await proxy(new NextRequest(`${appUrl}/create`));
  const signed = await import("@/app/api/media/signed/[...key]/route");
  const route = await signed.GET(new Request(`${appUrl}/api/media/signed/not a key`), {
    params: Promise.resolve({ key: ["not a key"] }),
  });
  return { page, route };
}

describe("Strict-Transport-Security", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("is sent on pages and route handlers when APP_URL is https", async () => {
    const { page, route } = await answersAt("https://studio.example");
    expect(page.headers.get("strict-transport-security")).toBe(HSTS);
    expect(route.status).toBe(404);
    expect(route.headers.get("strict-transport-security")).toBe(HSTS);
    console.info(`HSTS over https: ${HSTS}`);
  });

  it("is not sent when the studio is served over plain http", async () => {
    const { page, route } = await answersAt("http://localhost:3000");
    expect(page.headers.get("strict-transport-security")).toBeNull();
    expect(route.headers.get("strict-transport-security")).toBeNull();
  });
});
