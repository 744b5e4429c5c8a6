import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { expectFailedTimeline, openTheFailedJobOf } from "./support/admin";
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

  await openTheFailedJobOf(page, user.email);
  await expect(page).toHaveURL(new RegExp(`/admin/jobs/${id}$`));
  await expect(page.getByRole("heading", { name: `Job ${id}` })).toBeVisible();
  await expectFailedTimeline(page);

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
