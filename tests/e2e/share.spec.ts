import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { CreatePage, openStudio, settled } from "./support/studio";

test("share a collection, open it signed out, revoke it, and the link answers 404", async ({
  page,
  browser,
  user,
}) => {
  // A job, a collection, a dialog, a second browser and three axe scans: a long journey on busy cores.
  test.slow();
  void user;
  const create = new CreatePage(page);
  await create.goto();
  const prompt = "A red kite over green hills";
  const card = await create.create(prompt);
  await settled(card);
  const generationId = await card.getAttribute("data-generation-id");

  await page.goto("/gallery");
  await page.getByLabel("Name of a new collection").fill("Kites");
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page.getByRole("button", { name: /^Kites/ })).toHaveAttribute("aria-pressed", "true");

  await page.goto(`/gallery/${generationId}`);
  await page.getByRole("button", { name: "Add to collection" }).click();
  await expect(page.getByText("Added 1 image to “Kites”.")).toBeVisible();

  await page.goto("/gallery");
  await page.getByRole("button", { name: /^Kites/ }).click();
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share the collection “Kites”" });
  await dialog.getByLabel("Show the prompt").check();
  await dialog.getByRole("button", { name: "Create link" }).click();
  const address = dialog.getByLabel("Link address");
  await expect(address).toHaveValue(/\/s\/[A-Za-z0-9_-]{24}$/);
  await expectAccessible(page, "share dialog");
  const link = await address.inputValue();

  // Someone with the link and no account.
  const stranger = await browser.newContext();
  const guest = await stranger.newPage();
  const opened = await guest.goto(link);
  expect(opened?.status()).toBe(200);
  await expect(guest.getByRole("heading", { name: "Kites" })).toBeVisible();
  await expect(guest.getByTestId("shared-grid").getByRole("listitem")).toHaveCount(1);
  await expect(guest.getByText(prompt)).toBeVisible();
  await expect(guest.getByText(user.email)).toHaveCount(0);
  await expect(guest.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  const preview = await guest.locator('meta[property="og:image"]').first().getAttribute("content");
  expect(preview).toMatch(/\/api\/share\/[A-Za-z0-9_-]{24}\/preview$/);
  await expect(guest.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary_large_image");
  const image = await stranger.request.get(preview!);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/jpeg");
  await expectAccessible(guest, "shared collection");

  // The owner revokes it from the account page.
  await page.goto("/account");
  const row = page.getByTestId("share-link").filter({ hasText: "Kites" });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText("Link revoked. It no longer opens.")).toBeVisible();
  await expect(page.getByTestId("share-link")).toHaveCount(0);

  const after = await guest.goto(link);
  expect(after?.status()).toBe(404);
  await expect(guest.getByText(prompt)).toHaveCount(0);
  expect((await stranger.request.get(preview!)).status()).toBe(404);
  await stranger.close();
});

test("save the create settings as a preset, apply it in one click, rename it on the account page", async ({
  page,
  user,
}) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  await create.prompt().fill("A lighthouse at dusk, long exposure");
  await create.ratio("16:9").click();
  await page.getByRole("button", { name: "Save as preset" }).click();
  await page.getByLabel("Preset name").fill("Wide lighthouse");
  await page.getByRole("button", { name: "Save preset" }).click();
  await expect(page.getByRole("button", { name: "Apply preset Wide lighthouse" })).toBeVisible();

  await openStudio(page, "/create", "Create image");
  await expect(create.prompt()).toHaveValue("");
  await page.getByRole("button", { name: "Apply preset Wide lighthouse" }).click();
  await expect(create.prompt()).toHaveValue("A lighthouse at dusk, long exposure");
  await expect(create.ratio("16:9")).toBeChecked();
  // Scanned once the toast has gone: mid-fade its text has too little contrast.
  await expect(page.getByText("Applied “Wide lighthouse”.")).toBeHidden();
  await expectAccessible(page, "create page with a preset");

  await page.goto("/account");
  await page.getByRole("button", { name: "Rename preset Wide lighthouse" }).click();
  await page.getByLabel("New name of the preset Wide lighthouse").fill("Lighthouse, wide");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("list", { name: "Prompt presets" })).toContainText("Lighthouse, wide");
  await expectAccessible(page, "account page with presets");
});
