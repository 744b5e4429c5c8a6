import { expect, test } from "./fixtures";
import { expectAccessible, setTheme } from "./support/a11y";
import { CreatePage, settled } from "./support/studio";

// The light theme of every studio page is checked by the spec that exercises it; this file adds the
// sign-in pages in both themes and every studio page in the dark theme.

for (const theme of ["light", "dark"] as const) {
  test(`sign-in and sign-up have no serious accessibility problems (${theme})`, async ({ page }) => {
    await page.goto("/sign-in");
    await setTheme(page, theme);
    for (const path of ["/sign-in", "/sign-up"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectAccessible(page, `${path} (${theme})`);
    }
  });
}

test("every studio page has no serious accessibility problems in the dark theme", async ({ page, user }) => {
  void user;
  // Six pages, each loaded and scanned by axe: on two busy cores that is a long journey.
  test.slow();
  await setTheme(page, "dark");
  const create = new CreatePage(page);
  await create.goto();
  const card = await create.create("A lantern in a dark forest");
  await settled(card);
  const id = await card.getAttribute("data-generation-id");
  const pages: [string, string][] = [
    ["/create", "create"],
    ["/create/edit", "edit"],
    ["/create/remix", "remix"],
    ["/gallery", "gallery"],
    [`/gallery/${id}`, "detail"],
    ["/account", "account"],
  ];
  for (const [path, name] of pages) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await expectAccessible(page, `${name} (dark)`);
  }
});
