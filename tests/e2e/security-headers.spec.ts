import type { Page, Response } from "@playwright/test";

import { expect, test } from "./fixtures";
import { CreatePage, imagesLoaded, settled } from "./support/studio";

// The pages work under their Content-Security-Policy: every script runs by its nonce, images load
// from our own routes and data: placeholders, polling stays same-origin, and not one violation is
// reported. Every page answer carries the security headers, and no other site may frame it.

/** Collects every CSP violation the page reports, from the event and from Chromium's console. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|csp violation/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return violations;
}

/** Checks the page's headers and scripts; returns how many scripts ran by the nonce. */
async function expectSecured(page: Page, response: Response | null, path: string): Promise<number> {
  expect(response, path).not.toBeNull();
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  for (const directive of [
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://checkout.stripe.com",
  ]) {
    expect(csp, path).toContain(directive);
  }
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], path).toBe("DENY");
  expect(headers["permissions-policy"], path).toContain("camera=()");

  // Next's runtime ran (it was allowed by the nonce), and every script carries that nonce.
  await page.waitForFunction(() =>
    Boolean((window as unknown as { next?: { version?: string } }).next?.version),
  );
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  const scripts = await page
    .locator("script")
    .evaluateAll((all) => all.map((s) => (s as HTMLScriptElement).nonce));
  expect(scripts.length, path).toBeGreaterThan(0);
  expect(
    scripts.filter((n) => n !== nonce),
    path,
  ).toEqual([]);
  return scripts.length;
}

test("sign-in and sign-up pages run under their CSP with no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  let scripts = 0;
  for (const path of ["/sign-in", "/sign-up"]) {
    const response = await page.goto(path);
    scripts += await expectSecured(page, response, path);
  }
  expect(violations).toEqual([]);
  console.info(`CSP in Chromium: /sign-in, /sign-up — ${scripts} scripts ran by their nonce, 0 violations`);
});

test("create, gallery and account work under their CSP: a job runs, its image shows, no violation", async ({
  page,
  user,
}) => {
  void user;
  const violations = await watchViolations(page);

  const response = await page.goto("/create");
  let scripts = await expectSecured(page, response, "/create");
  const create = new CreatePage(page);
  await create.goto();
  const card = await create.create("A lighthouse under a strict policy");
  await settled(card);
  await expect.poll(() => imagesLoaded(card)).toBe(true);

  const gallery = await page.goto("/gallery");
  scripts += await expectSecured(page, gallery, "/gallery");
  await expect.poll(() => imagesLoaded(page.locator("main"))).toBe(true);
  const account = await page.goto("/account");
  scripts += await expectSecured(page, account, "/account");
  expect(violations).toEqual([]);
  console.info(
    `CSP in Chromium: /create (a job ran and its image showed), /gallery, /account — ${scripts} scripts ` +
      "ran by their nonce, 0 violations",
  );
});

test("another site cannot frame the studio", async ({ page, baseURL }) => {
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/frame-ancestors|X-Frame-Options/i.test(message.text())) refusals.push(message.text());
  });
  await page.setContent(`<iframe src="${baseURL}/sign-in" title="framed"></iframe>`);
  await expect.poll(() => refusals.length).toBeGreaterThan(0);
  const framed = page.frames().find((f) => f.url().includes("/sign-in"));
  const heading = framed
    ? await framed
        .locator("h1")
        .count()
        .catch(() => 0)
    : 0;
  expect(heading).toBe(0);
  console.info(
    `framing: refused (${refusals.length} refusal reported), nothing of the page rendered in the frame`,
  );
});
