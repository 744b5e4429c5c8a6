import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { adminCli } from "./support/billing";
import { CreatePage, settled } from "./support/studio";

// An operator looks into a job that failed at the reseller: they find it in /admin/jobs by its
// user and state, and its page tells what happened, what the reseller said, and that the credits
// came back. The same job is found by `npm run admin -- jobs list` against the running studio.
test("an admin finds a failed job, reads its timeline, the reseller's raw answers and its credits", async ({
  page,
  user,
}) => {
  const create = new CreatePage(page);
  await create.goto();
  const card = await create.create("A lighthouse in a storm [emu:fail]");
  await settled(card, "failed");
  const id = await card.getAttribute("data-generation-id");

  // Not an admin yet: the console answers like a page that does not exist.
  expect((await page.goto("/admin/jobs"))?.status()).toBe(404);
  expect((await page.goto(`/admin/jobs/${id}`))?.status()).toBe(404);

  await adminCli(["promote", "--email", user.email, "--reason", "Operator for the test"]);
  const listed = (await adminCli(["jobs", "list", "--user", user.email, "--state", "failed"])) as {
    items: { id: string }[];
  };
  expect(listed.items.map((job) => job.id)).toEqual([id]);

  await page.goto("/admin/jobs");
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
  await page.getByLabel("State").selectOption("failed");
  await page.getByLabel("User email or id").fill(user.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/state=failed/);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expectAccessible(page, "admin job list");
  await rows.nth(1).getByRole("link").click();

  await expect(page).toHaveURL(new RegExp(`/admin/jobs/${id}$`));
  await expect(page.getByRole("heading", { name: `Job ${id}` })).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" }).getByRole("listitem");
  await expect(timeline.first()).toContainText("Submitted");
  await expect(timeline.filter({ hasText: "Accepted by the reseller" })).toHaveCount(1);
  await expect(timeline.filter({ hasText: /Polled|Webhook received/ }).first()).toBeVisible();
  await expect(timeline.filter({ hasText: /^.*Failed/ }).last()).toBeVisible();
  await expect(timeline.last()).toContainText("Refunded");

  const answers = page.getByRole("region", { name: "Last raw reseller answers" });
  await expect(answers.getByText(/ status| callback/).first()).toBeVisible();
  await expect(answers.getByRole("listitem").first().locator("pre")).not.toBeEmpty();

  const credits = page.getByRole("region", { name: "Credits" });
  await expect(credits.getByRole("cell", { name: "hold", exact: true })).toBeVisible();
  await expect(credits.getByRole("cell", { name: "refund", exact: true })).toBeVisible();
  // A finished job offers no actions.
  await expect(page.getByRole("region", { name: "Actions" })).toHaveCount(0);
  await expectAccessible(page, "admin job page");
});
