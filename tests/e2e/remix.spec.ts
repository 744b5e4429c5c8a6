import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { pngFile } from "./support/images";
import { CreatePage, openStudio, settled } from "./support/studio";

test("remix three references; a fifth is refused and chips can be removed", async ({ page, user }) => {
  void user;
  await openStudio(page, "/create/remix", "Remix");
  const picker = page.getByLabel("Add reference images");
  await picker.setInputFiles([
    await pngFile("a.png", 64, 64, "#ef4444"),
    await pngFile("b.png", 64, 64, "#22c55e"),
    await pngFile("c.png", 64, 64, "#3b82f6"),
  ]);
  const refs = page.getByTestId("reference");
  await expect(refs).toHaveCount(3);
  for (const ref of await refs.all()) await expect(ref).toHaveAttribute("data-status", "ready");

  await picker.setInputFiles([
    await pngFile("d.png", 64, 64, "#eab308"),
    await pngFile("e.png", 64, 64, "#a855f7"),
  ]);
  await expect(refs).toHaveCount(4);
  await expect(page.getByTestId("references-notice")).toHaveText(
    "A remix takes at most 4 reference images. Remove one to add another.",
  );
  await expect(page.getByLabel("Add reference images")).toHaveCount(0);
  await page.getByRole("button", { name: "Remove reference 4" }).click();
  await expect(refs).toHaveCount(3);
  await expect(page.getByTestId("reference-count")).toHaveText("3 of 4");

  await page.getByLabel("Prompt", { exact: true }).fill("The three colors as a stained glass window");
  await page.getByRole("radio", { name: "16:9", exact: true }).check();
  // reve2img remixes too (edit.spec covers Auto, which picks Pixazo).
  await page.getByLabel("Provider").selectOption("reve2img");
  await page.getByRole("button", { name: "Remix", exact: true }).click();
  const result = page.getByTestId("job-result");
  await expect(result).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await expect(result.locator("img")).toBeVisible();

  await result.getByRole("link", { name: "Details" }).click();
  await expect(page.getByTestId("generation-facts")).toContainText("16:9");
  await expect(page.getByTestId("chain-step").getByRole("listitem")).toHaveCount(3);
  await expectAccessible(page, "remix detail");
});

test("remix with an image from the gallery", async ({ page, user }) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  const card = await create.create("A paper boat");
  await settled(card);
  await card.getByRole("link", { name: "Details" }).click();
  await page.getByRole("link", { name: "Remix with this" }).click();
  await expect(page).toHaveURL(/\/create\/remix\?refs=/);
  await expect(page.getByTestId("reference")).toHaveCount(1);
  await expectAccessible(page, "remix");
});
