import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { CreatePage, settled } from "./support/studio";

test("detail: copy the prompt, favorite, download, then delete", async ({ page, user, context }) => {
  void user;
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const create = new CreatePage(page);
  await create.goto();
  const prompt = "An orange cat on a green sofa";
  const card = await create.create(prompt);
  await settled(card);
  await card.getByRole("link", { name: "Details" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  await expect(page.getByTestId("fact-cost")).toContainText("charged");
  await expect(page.getByTestId("fact-provider")).toContainText("Apiframe");

  await page.getByRole("button", { name: "Copy prompt" }).click();
  await expect(page.getByText("Prompt copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(prompt);

  const favorite = page.getByRole("button", { name: "Favorite" });
  await expect(favorite).toHaveAttribute("aria-pressed", "false");
  await favorite.click();
  await expect(favorite).toHaveAttribute("aria-pressed", "true");
  await expect(favorite).toBeEnabled();
  await page.reload();
  await expect(page.getByRole("button", { name: "Favorite" })).toHaveAttribute("aria-pressed", "true");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.(png|jpe?g|webp)$/);

  await expectAccessible(page, "detail");
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this image?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectAccessible(page, "delete dialog");
  await dialog.getByRole("button", { name: "Delete image" }).click();
  await expect(page).toHaveURL(/\/gallery$/);
  await expect(page.getByText("Image deleted")).toBeVisible();
  await expect(page.getByText("Nothing here yet")).toBeVisible();
});

test("someone else's image is not found", async ({ page, user }) => {
  void user;
  const response = await page.goto("/gallery/not-a-real-id");
  expect(response?.status()).toBe(404);
});
