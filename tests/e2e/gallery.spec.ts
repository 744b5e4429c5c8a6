import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { SEEDED_GALLERY } from "./support/seeded";
import { CreatePage } from "./support/studio";

// The gallery's page size; the seed holds one page of fillers and the needle on page two.
const PAGE_SIZE = SEEDED_GALLERY.fillers;

test("the gallery scrolls past its first page, and searches by prompt through the URL", async ({
  page,
  auth,
}) => {
  // A page and a half of finished images, seeded before the studio started (support/seed-gallery.ts),
  // so the test's time goes to scrolling and searching, not to making images.
  await auth.signIn(SEEDED_GALLERY.email, SEEDED_GALLERY.password);
  await expect(page).toHaveURL(/\/create/);

  await page.goto("/gallery");
  const items = page.getByTestId("gallery-item");
  await expect(items.first()).toBeVisible();
  const nextPage = page.waitForRequest(
    (r) => r.url().includes("/api/generations?") && r.url().includes("cursor="),
  );
  await page.getByTestId("gallery-item").last().scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 5000);
  await nextPage;
  // Every image is listed, and the last one (the needle, from page two) is drawn at the end of the
  // grid; rows far from the window are not in the DOM, so the tiles are not counted there.
  await expect(page.getByRole("status").filter({ hasText: /images/ })).toHaveText(`${PAGE_SIZE + 1} images`);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  await page.mouse.wheel(0, 5000);
  const last = page.locator(`li[aria-posinset="${PAGE_SIZE + 1}"][aria-setsize="${PAGE_SIZE + 1}"]`);
  await expect(last.getByTestId("gallery-item")).toHaveAccessibleName(/A needle in a haystack/);

  await page.getByLabel("Search prompts").fill("needle");
  await expect(page).toHaveURL(/[?&]q=needle/);
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAccessibleName(/A needle in a haystack/);
  await page.reload();
  await expect(page.getByLabel("Search prompts")).toHaveValue("needle");
  await expect(items).toHaveCount(1);

  await page.getByLabel("Search prompts").fill("nothing like this");
  await expect(page.getByText("Nothing matches these filters")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/gallery$/);
  await expect(page.getByLabel("Search prompts")).toHaveValue("");
  await expect(items.first()).toBeVisible();
  await expectAccessible(page, "gallery");
});

test("an empty gallery invites the first creation; kind and favorite filters narrow it", async ({
  page,
  user,
}) => {
  void user;
  await page.goto("/gallery");
  await expect(page.getByText("Nothing here yet")).toBeVisible();
  await expectAccessible(page, "empty gallery");
  await page.getByRole("link", { name: "Create your first image" }).click();
  await expect(page).toHaveURL(/\/create$/);

  const create = new CreatePage(page);
  await create.create("A single pear on a plate");
  await page.goto("/gallery?kind=edit");
  await expect(page.getByLabel("Kind")).toHaveValue("edit");
  await expect(page.getByText("Nothing matches these filters")).toBeVisible();
  await page.getByLabel("Kind").selectOption("");
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);
  // The blurred placeholder shows only until the thumbnail arrives; then it is no longer painted.
  const thumbnail = page.getByTestId("gallery-item").locator("img");
  await expect
    .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
  await expect(thumbnail).toHaveCSS("background-image", "none");
  await page.getByRole("button", { name: "Favorites" }).click();
  await expect(page).toHaveURL(/favorite=1/);
  await expect(page.getByText("Nothing matches these filters")).toBeVisible();
});
