import { expect, type Page } from "@playwright/test";

import { expectAccessible } from "./a11y";

// The operator's console as the browser tests read it.

/** A fact of an admin page's definition list, by its term. */
export const adminFact = (page: Page, term: string) =>
  page.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");

/** The audit rows of one operator and one action, as the admin pages list them. */
export const auditRows = (page: Page, actor: string, action: string) =>
  page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: actor, exact: true }) })
    .filter({ has: page.getByRole("cell", { name: action, exact: true }) });

/** Finds a user's one failed job in /admin/jobs (checking the list with axe) and opens it. */
export async function openTheFailedJobOf(page: Page, email: string) {
  await page.goto("/admin/jobs");
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
  await page.getByLabel("State").selectOption("failed");
  await page.getByLabel("User email or id").fill(email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/state=failed/);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expectAccessible(page, "admin job list");
  await rows.nth(1).getByRole("link").click();
}

/** A failed job's timeline: submitted, accepted, polled or called back, failed, then refunded. */
export async function expectFailedTimeline(page: Page) {
  const timeline = page.getByRole("region", { name: "Timeline" }).getByRole("listitem");
  await expect(timeline.first()).toContainText("Submitted");
  await expect(timeline.filter({ hasText: "Accepted by the reseller" })).toHaveCount(1);
  await expect(timeline.filter({ hasText: /Polled|Webhook received/ }).first()).toBeVisible();
  await expect(timeline.filter({ hasText: /^.*Failed/ }).last()).toBeVisible();
  await expect(timeline.last()).toContainText("Refunded");
}
