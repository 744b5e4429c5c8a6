import { chromium, type Browser, type BrowserContext } from "@playwright/test";

import { signIn } from "./studio-client";

// Debian's Chromium driven by Playwright, the way the browser benches see the studio: a context
// per user, signed in through Auth.js's credentials callback (the session cookie, no form).

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
}

export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  email: string,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const [name, value] = (await signIn(baseUrl, email)).split(/=(.*)/s) as [string, string];
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name, value, url: baseUrl }]);
  return context;
}
