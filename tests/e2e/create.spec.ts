import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { CreatePage, headerBalance, imagesLoaded, settled } from "./support/studio";

test("create: the card appears at once, succeeds, shows the image and the balance drops by the price", async ({
  page,
  user,
}) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  const before = await headerBalance(page);
  const cost = Number((await page.getByTestId("cost").textContent())?.match(/\d+/)?.[0]);
  await expect(page.getByTestId("balance-after")).toHaveText(String(before - cost));

  await create.prompt().fill("A red fox asleep in fresh snow");
  await expect(page.getByText(`30 of 2560 characters`)).toBeAttached();
  await create.ratio("1:1").check();
  await create.submitButton().click();

  const card = create.cards().filter({ hasText: "A red fox asleep in fresh snow" }).first();
  await expect(card).toBeVisible();
  await expect(card.getByTestId("status-badge")).toHaveText(/Queued|Processing/);
  await settled(card);
  await expect(card.getByTestId("status-badge")).toHaveText("Succeeded");
  await expect.poll(() => imagesLoaded(card)).toBe(true);
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName(`${before - cost} credits`);

  // A reload keeps the job: the list is the first page of the gallery.
  await page.reload();
  await expect(create.cards().filter({ hasText: "A red fox asleep in fresh snow" })).toHaveAttribute(
    "data-status",
    "succeeded",
  );
});

test("a failed job says it was not charged and the balance is unchanged", async ({ page, user }) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  const before = await headerBalance(page);
  const card = await create.create("A castle in the clouds [emu:fail]");
  await settled(card, "failed");
  await expect(card.getByTestId("not-charged")).toHaveText("Not charged");
  await expect(card.getByTestId("job-error")).not.toBeEmpty();
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName(`${before} credits`);
});

test("the form explains what each provider lacks and submits with Ctrl+Enter", async ({ page, user }) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  const provider = page.getByLabel("Provider");

  // Apiframe makes squares only: the other ratios are disabled, with the reason shown.
  await create.ratio("16:9").check();
  await provider.selectOption("apiframe");
  await expect(create.ratio("1:1")).toBeChecked();
  await expect(create.ratio("16:9")).toBeDisabled();
  await expect(page.getByText("Apiframe makes square images only.").first()).toBeVisible();
  await expect(page.getByLabel("Negative prompt (optional)")).toHaveCount(0);

  // Reve Art has no seed but takes a negative prompt.
  await page.getByRole("button", { name: "Roll a random seed" }).click();
  await expect(page.getByRole("button", { name: "Lock seed" })).toHaveAttribute("aria-pressed", "true");
  await provider.selectOption("reveart");
  await expect(page.getByRole("button", { name: "Lock seed" })).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByText("Reve Art has no seed.")).toBeVisible();
  await expect(page.getByLabel("Negative prompt (optional)")).toBeVisible();

  // Pixazo does not create at all: listed, disabled, with its reason.
  await expect(provider.locator("option", { hasText: "Pixazo" })).toBeDisabled();

  // Arrow keys move through the ratios.
  await create.ratio("1:1").focus();
  await page.keyboard.press("ArrowRight");
  await expect(create.ratio("16:9")).toBeChecked();

  // An empty prompt is refused inline; Ctrl+Enter submits from the textarea.
  await create.submitButton().click();
  await expect(page.getByText("Write a prompt.")).toBeVisible();
  await create.prompt().fill("A quiet harbour at night, wide");
  await create.prompt().press("Control+Enter");
  const card = create.cards().filter({ hasText: "A quiet harbour at night" }).first();
  await settled(card);
  await expect(card).toContainText("Reve Art");
});

test("reuse settings fills the form from an earlier image", async ({ page, user }) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  await create.prompt().fill("A lighthouse at dawn, film photo");
  await page.getByRole("button", { name: "Roll a random seed" }).click();
  const seed = await page.getByLabel("Seed", { exact: true }).inputValue();
  await create.submit();
  const card = create.cards().filter({ hasText: "A lighthouse at dawn" }).first();
  await settled(card);
  const id = await card.getAttribute("data-generation-id");

  await page.goto(`/gallery/${id}`);
  await expect(page.getByTestId("fact-seed")).toHaveText(seed);
  await page.getByRole("link", { name: "Reuse settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/create\\?from=${id}`));
  await expect(create.prompt()).toHaveValue("A lighthouse at dawn, film photo");
  await expect(page.getByLabel("Seed", { exact: true })).toHaveValue(seed);
  await expect(create.ratio("1:1")).toBeChecked();
  await expectAccessible(page, "create (reused)");
});
