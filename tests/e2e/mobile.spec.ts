import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { CreatePage, settled } from "./support/studio";

const PHONE_WIDTH = 375;
test.use({ viewport: { width: PHONE_WIDTH, height: 812 }, isMobile: true, hasTouch: true });

// Against the phone's width, not window.innerWidth: a mobile browser widens its layout viewport
// to fit content that overflows, and then the page would always seem to fit.
const noSideScroll = (page: Page) =>
  page.evaluate((width) => document.documentElement.scrollWidth <= width, PHONE_WIDTH);

test("on a phone: create an image and find it in the gallery", async ({ page, user }) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  expect(await noSideScroll(page)).toBe(true);
  const card = await create.create("A tiny robot watering a plant");
  await settled(card);
  // With the finished job's card beside the form, the page must still fit.
  expect(await noSideScroll(page)).toBe(true);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }).click();
  await expect(page).toHaveURL(/\/gallery/);
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);
  expect(await noSideScroll(page)).toBe(true);

  await page.getByTestId("gallery-item").click();
  await expect(page.getByRole("button", { name: "Copy prompt" })).toBeVisible();
  expect(await noSideScroll(page)).toBe(true);

  // The credit history, with its hold, fits too.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(page.getByTestId("ledger")).toContainText("Held for a job");
  expect(await noSideScroll(page)).toBe(true);
});
