import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { CreatePage, headerBalance, imagesLoaded, settled } from "./support/studio";

test("a batch of 4: one card with 4 results, each settling on its own; one varied; the batch re-run", async ({
  page,
  user,
}) => {
  void user;
  // One journey of ten jobs (a batch, a variation, the batch again, one more variation).
  test.setTimeout(300_000);
  // Headless Chromium denies notifications unless the test grants them; the offer needs them possible.
  await page.context().grantPermissions(["notifications"]);
  const create = new CreatePage(page);
  await create.goto();
  const before = await headerBalance(page);
  const price = Number((await page.getByTestId("cost").textContent())?.match(/\d+/)?.[0]);

  await create.prompt().fill("A paper boat on a still pond");
  await page.getByRole("radio", { name: "4 images" }).check();
  await expect(page.getByTestId("cost")).toHaveText(new RegExp(`^${4 * price} `));
  await expect(page.getByTestId("cost-per-image")).toContainText("4 ×");
  await expect(page.getByTestId("balance-after")).toHaveText(String(before - 4 * price));
  // The notification offer waits for the first submit.
  await expect(page.getByTestId("notify-offer")).toHaveCount(0);
  const submit = page.getByRole("button", { name: "Create 4 images" });
  await submit.click();
  await expect(submit).toBeEnabled();

  const batch = page.getByTestId("batch-card").filter({ hasText: "A paper boat on a still pond" });
  await expect(batch).toHaveCount(1);
  await expect(batch).toHaveAttribute("data-batch-id", /.+/);
  const images = batch.getByTestId("job-card");
  await expect(images).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    await expect(images.nth(i)).toHaveAttribute("data-generation-id", /.+/);
    await expect(images.nth(i).getByText(`Image ${i + 1} of 4`)).toBeVisible();
  }
  for (let i = 0; i < 4; i++) await settled(images.nth(i));
  await expect.poll(() => imagesLoaded(batch)).toBe(true);
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName(`${before - 4 * price} credits`);

  const offer = page.getByRole("region", { name: "Browser notifications" });
  await expect(offer).toBeVisible();
  await expectAccessible(page, "create page with a batch and the notification offer");
  await offer.getByRole("button", { name: "No thanks" }).click();
  await expect(offer).toHaveCount(0);

  // Vary the second image: a new job outside the batch, the same prompt.
  const secondId = await images.nth(1).getAttribute("data-generation-id");
  await images.nth(1).getByRole("button", { name: "Vary" }).click();
  const single = page.locator('[data-testid="recent-jobs"] > li > [data-testid="job-card"]');
  const variation = single.filter({ hasText: "A paper boat on a still pond" }).first();
  await expect(variation).toHaveAttribute("data-generation-id", /.+/);
  expect(await variation.getAttribute("data-generation-id")).not.toBe(secondId);
  await settled(variation);
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName(`${before - 5 * price} credits`);

  // Re-run the batch: a second card of 4.
  await batch.first().getByRole("button", { name: "Re-run batch" }).click();
  await expect(batch).toHaveCount(2);
  const rerun = batch.first().getByTestId("job-card");
  await expect(rerun).toHaveCount(4);
  for (let i = 0; i < 4; i++) await settled(rerun.nth(i));
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName(`${before - 9 * price} credits`);

  // The detail page varies too, and opens the new job.
  await images.nth(0).getByRole("link", { name: "Details" }).click();
  await expect(page).toHaveURL(/\/gallery\/[^/]+$/);
  const detailUrl = page.url();
  await page.getByRole("button", { name: "Vary" }).click();
  await expect(page).not.toHaveURL(detailUrl);
  await expect(page).toHaveURL(/\/gallery\/[^/]+$/);
  // Scanned once the new job has settled: a job that settles mid-scan re-enables Delete, and axe
  // then reads the button halfway through its fade from the disabled look.
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeEnabled({ timeout: 60_000 });
  await expectAccessible(page, "detail page of a variation");
});

test("a job that finishes while the tab is hidden puts a count in the title until the tab is seen", async ({
  page,
  user,
}) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  await expect(page).toHaveTitle("Create · Reve Studio");
  await create.prompt().fill("A lantern in the rain");
  // The tab is in the background from before the submit until after the job finished (React
  // Query's own polls pause then, as in a real background tab).
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await create.submit();
  const card = create.cards().filter({ hasText: "A lantern in the rain" }).first();
  await settled(card);
  await expect(page).toHaveTitle("(1) Create · Reve Studio");
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect(page).toHaveTitle("Create · Reve Studio");
});
