import type { Locator, Page } from "@playwright/test";

import { type AuthPage, expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { SELECTION_GALLERIES, tilePrompts } from "./support/seeded";

// Each test has a seeded gallery of its own: twelve images, "Tile 01" (the newest) first in the grid.

/** A tile's link, the element the grid's keys move focus between. */
const tile = (page: Page, prompt: string) =>
  page.getByTestId("gallery-item").filter({ has: page.getByAltText(prompt, { exact: true }) });
const tick = (page: Page, prompt: string) =>
  page.getByRole("checkbox", { name: `Select: ${prompt}`, exact: true });

/** Presses Tab (or Shift+Tab) until `target` has focus, the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, { backwards = false, presses = 60 } = {}) {
  await expect(target).toHaveCount(1);
  const focused = () => target.evaluate((element) => element === document.activeElement);
  for (let i = 0; i < presses && !(await focused()); i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  if (!(await focused())) {
    throw new Error(`Focus never reached ${target.toString()} in ${presses} presses of Tab.`);
  }
}

async function openGallery(page: Page, auth: AuthPage, account: { email: string; password: string }) {
  await auth.signIn(account.email, account.password);
  await expect(page).toHaveURL(/\/create/);
  await page.goto("/gallery");
  // The grid draws its tiles once React has measured it, so tiles on screen mean the keys work.
  await expect(page.getByTestId("gallery-item")).toHaveCount(tilePrompts.length);
}

test("keyboard only: select a range and delete it, add a selection to a collection, Escape clears", async ({
  page,
  auth,
}) => {
  // Three axe scans, a delete, a collection and two reloads on busy cores.
  test.slow();
  await openGallery(page, auth, SELECTION_GALLERIES.keyboard);
  const tiles = page.getByTestId("gallery-item");
  const bar = page.getByRole("region", { name: "Selection" });
  const count = page.getByTestId("selection-count");
  const columns = Number(await page.getByTestId("gallery-grid").getAttribute("data-columns"));
  expect(columns).toBeGreaterThan(1);

  // Into the grid, along it with the arrows, Space ticks one, Shift+Space the range up to another.
  await tabTo(page, tile(page, "Tile 01"));
  await page.keyboard.press("ArrowRight");
  await expect(tile(page, "Tile 02")).toBeFocused();
  await page.keyboard.press("Space");
  await expect(tick(page, "Tile 02")).toBeChecked();
  await expect(count).toHaveText("1 image selected");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(tile(page, "Tile 04")).toBeFocused();
  await page.keyboard.press("Shift+Space");
  await expect(count).toHaveText("3 images selected");
  for (const prompt of ["Tile 02", "Tile 03", "Tile 04"]) await expect(tick(page, prompt)).toBeChecked();
  for (const prompt of ["Tile 01", "Tile 05"]) await expect(tick(page, prompt)).not.toBeChecked();
  // Down a row of the grid as laid out, and back up.
  await page.keyboard.press("ArrowDown");
  await expect(tile(page, tilePrompts[3 + columns]!)).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(tile(page, "Tile 04")).toBeFocused();
  await expectAccessible(page, "gallery with a selection");

  // Delete from the selection bar: one confirmation that names the count, an answer with counts.
  await tabTo(page, bar.getByRole("button", { name: "Delete", exact: true }));
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Delete 3 images?" });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectAccessible(page, "delete confirmation");
  await page.keyboard.press("Tab");
  await expect(confirm.getByRole("button", { name: "Delete 3 images" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Deleted 3 images.")).toBeVisible();
  await expect(confirm).toBeHidden();
  await expect(bar).toBeHidden();
  const deleted = ["Tile 02", "Tile 03", "Tile 04"];
  await expect(tiles).toHaveCount(tilePrompts.length - deleted.length);
  for (const prompt of deleted) await expect(tile(page, prompt)).toHaveCount(0);
  await page.reload();
  await expect(tiles).toHaveCount(tilePrompts.length - deleted.length);
  for (const prompt of deleted) await expect(tile(page, prompt)).toHaveCount(0);

  // A collection to put a selection in. Making one opens it, so back to every image after.
  const collections = page.getByRole("navigation", { name: "Collections" });
  const picks = collections.getByRole("button", { name: /^Picks/ });
  await tabTo(page, page.getByLabel("Name of a new collection"));
  await page.keyboard.type("Picks");
  await page.keyboard.press("Enter");
  await expect(picks).toHaveAttribute("aria-pressed", "true");
  const everything = collections.getByRole("button", { name: "All images" });
  await tabTo(page, everything, { backwards: true });
  await page.keyboard.press("Enter");
  await expect(everything).toHaveAttribute("aria-pressed", "true");
  await expect(tiles).toHaveCount(tilePrompts.length - deleted.length);

  // Tile 01 and, two steps on past the deleted ones, Tile 06; then the bar's Add to collection.
  await tabTo(page, tile(page, "Tile 01"));
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(tile(page, "Tile 06")).toBeFocused();
  await page.keyboard.press("Space");
  await expect(count).toHaveText("2 images selected");
  await expect(bar.getByLabel("Collection", { exact: true }).locator("option:checked")).toHaveText("Picks");
  await tabTo(page, bar.getByRole("button", { name: "Add to collection" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Added 2 images to “Picks”.")).toBeVisible();
  await expect(bar).toBeHidden();
  await expect(picks).toHaveAccessibleName("Picks 2");

  // The collection opens as a gallery of exactly those two, in the URL too.
  // The bar has gone with the focus it had; back up the page from where it was.
  await tabTo(page, picks, { backwards: true });
  await page.keyboard.press("Enter");
  await expect(picks).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/[?&]collection=/);
  await expect(tiles).toHaveCount(2);
  await page.reload();
  await expect(tiles).toHaveCount(2);
  for (const prompt of ["Tile 01", "Tile 06"]) await expect(tile(page, prompt)).toHaveCount(1);

  // Escape clears a selection.
  await tabTo(page, tile(page, "Tile 06"));
  await page.keyboard.press("Space");
  await expect(count).toHaveText("1 image selected");
  await page.keyboard.press("Escape");
  await expect(bar).toBeHidden();
  await expect(tick(page, "Tile 06")).not.toBeChecked();
});

test("with the mouse: shift-click ticks a range, and a tile dragged onto a collection adds to it", async ({
  page,
  auth,
}) => {
  await openGallery(page, auth, SELECTION_GALLERIES.mouse);
  const tiles = page.getByTestId("gallery-item");
  const count = page.getByTestId("selection-count");
  const collections = page.getByRole("navigation", { name: "Collections" });
  const dropped = collections.getByRole("button", { name: /^Dropped/ });
  await page.getByLabel("Name of a new collection").fill("Dropped");
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(dropped).toHaveAttribute("aria-pressed", "true");
  await collections.getByRole("button", { name: "All images" }).click();
  await expect(tiles).toHaveCount(tilePrompts.length);

  await tick(page, "Tile 02").click();
  await tick(page, "Tile 05").click({ modifiers: ["Shift"] });
  await expect(count).toHaveText("4 images selected");
  const range = ["Tile 02", "Tile 03", "Tile 04", "Tile 05"];
  for (const prompt of range) await expect(tick(page, prompt)).toBeChecked();
  for (const prompt of ["Tile 01", "Tile 06"]) await expect(tick(page, prompt)).not.toBeChecked();

  // A tile of the selection carries the whole selection; a tile outside one goes alone. Both are in
  // the first row, so neither drag has to scroll the page.
  await tile(page, "Tile 03").dragTo(dropped);
  await expect(page.getByText("Added 4 images to “Dropped”.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(count).toBeHidden();
  await tile(page, "Tile 01").dragTo(dropped);
  await expect(page.getByText("Added 1 image to “Dropped”.")).toBeVisible();
  await expect(dropped).toHaveAccessibleName("Dropped 5");

  await dropped.click();
  await expect(tiles).toHaveCount(5);
  for (const prompt of ["Tile 01", ...range]) await expect(tile(page, prompt)).toHaveCount(1);
});
