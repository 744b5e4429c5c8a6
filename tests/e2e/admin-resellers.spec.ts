import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { adminCli } from "./support/billing";

// An operator switches a reseller off from /admin/resellers and sees it off; the overview's
// figures render with their text equivalents. Pixazo is the reseller switched: no other journey
// names it for a job, and Auto sends its edits to reve2img while it is off. It is switched back on
// at the end, whatever happens.

test("an admin disables a reseller on the resellers page and sees it disabled; the overview is accessible", async ({
  page,
  user,
}) => {
  await adminCli(["promote", "--email", user.email, "--reason", "Operator for this journey"]);
  try {
    await page.goto("/admin?window=7d");
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Estimated reseller spend" })).toBeVisible();
    await expect(page.getByRole("row", { name: /Pixazo .*\$0\.06/ })).toBeVisible();
    await expectAccessible(page, "the admin overview");

    await page.getByRole("link", { name: "Resellers" }).click();
    await expect(page.getByRole("heading", { name: "Resellers", level: 1 })).toBeVisible();
    const pixazo = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Pixazo" }) });
    await expect(pixazo.getByRole("definition").first()).toHaveText("Enabled");
    await expectAccessible(page, "the resellers page");

    await pixazo.getByRole("button", { name: "Disable Pixazo" }).click();
    await expect(pixazo.getByRole("button", { name: "Enable Pixazo" })).toBeVisible();
    await expect(pixazo.getByRole("definition").first()).toHaveText("Disabled");
    // The audit log says who did it.
    await page.goto("/admin/audit");
    await expect(page.getByRole("row", { name: /reseller_disable/ }).first()).toContainText(
      '"reseller":"pixazo"',
    );
  } finally {
    await adminCli(["reseller", "enable", "--reseller", "pixazo", "--reason", "End of the journey"]);
  }
  const listed = await adminCli(["reseller", "list"]);
  const rows = listed.resellers as { id: string; switchedOn: boolean }[];
  expect(rows.find((r) => r.id === "pixazo")?.switchedOn).toBe(true);
});
