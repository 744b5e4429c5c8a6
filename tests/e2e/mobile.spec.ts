import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { keepScreenshot } from "./support/a11y";
import { CreatePage, settled } from "./support/studio";

test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

const noSideScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("on a phone: create an image and find it in the gallery", async ({ page, user }) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  expect(await noSideScroll(page)).toBe(true);
  const card = await create.create("A tiny robot watering a plant");
  await settled(card);
  await keepScreenshot(page, "create-phone");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }).click();
  await expect(page).toHaveURL(/\/gallery/);
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);
  expect(await noSideScroll(page)).toBe(true);
  await keepScreenshot(page, "gallery-phone");

  await page.getByTestId("gallery-item").click();
  await expect(page.getByRole("button", { name: "Copy prompt" })).toBeVisible();
  expect(await noSideScroll(page)).toBe(true);
});
