import { DEFAULT_CONFIG } from "../../emulator/config";
import { AuthPage, expect, test, uniqueEmail } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { adminFact, auditRows, expectFailedTimeline, openTheFailedJobOf } from "./support/admin";
import { adminCli } from "./support/billing";
import { CreatePage, headerBalance, openStudio, settled } from "./support/studio";

// The operator's journey, with two people at once: an admin (this test's own account, promoted)
// and an ordinary user in a browser context of their own. The admin finds the user, grants credits,
// suspends them and sees their next submit refused; reads the failed job behind the ticket; and
// switches Apiframe, Auto's first choice for a create, off, after which the user's next Auto create
// goes elsewhere. Switching off a create reseller would change every other spec's creates, so this
// spec runs alone, after them (the "operator" project in playwright.config.ts). Apiframe is switched
// back on at the end, whatever happens.

const GRANT = 25;
const GRANT_REASON = "Goodwill for a failed job";
const SUSPEND_REASON = "Chargebacks under review";
const EMULATOR_KEYS = [
  DEFAULT_CONFIG.pixazoKey,
  DEFAULT_CONFIG.apiframeKey,
  DEFAULT_CONFIG.reve2imgKey,
  DEFAULT_CONFIG.reveartKey,
];

test("an admin grants, suspends, reads a failed job and disables a reseller; the user's studio follows", async ({
  page,
  user,
  browser,
}, testInfo) => {
  test.slow(); // two people, six admin pages with axe and three jobs, on two busy cores
  const admin = page;
  const operator = user;
  await adminCli(["promote", "--email", operator.email, "--reason", "Operator for this journey"]);

  // The user signs up in a browser of their own, and a job of theirs fails at the reseller.
  const userContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const userPage = await userContext.newPage();
    const customer = { email: uniqueEmail("customer") };
    await new AuthPage(userPage).signUp(customer.email);
    await expect(userPage).toHaveURL(/\/create/);
    const create = new CreatePage(userPage);
    await create.goto();
    const failed = await create.create("A lighthouse in a gale [emu:fail]");
    await settled(failed, "failed");
    await expect(failed.getByTestId("not-charged")).toHaveText("Not charged");
    const failedId = await failed.getAttribute("data-generation-id");
    await create.goto();
    const balance = await headerBalance(userPage);
    expect(balance).toBeGreaterThan(0);

    // The admin finds the user by email and grants credits, with a reason.
    await admin.goto("/admin/users");
    await expect(admin.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
    const search = admin.getByRole("search");
    const find = async (email: string) => {
      await search.getByLabel("Email or id").fill(email);
      await search.getByRole("button", { name: "Search" }).click();
      await expect(admin).toHaveURL(new RegExp(`q=${encodeURIComponent(email)}`));
      return admin.getByRole("table").getByRole("link", { name: email, exact: true });
    };
    const adminHref = await (await find(operator.email)).getAttribute("href");
    const adminId = adminHref?.split("/").pop() ?? "";
    expect(adminId).not.toBe("");
    const found = await find(customer.email);
    await expect(admin.getByRole("table").getByRole("row")).toHaveCount(2);
    await expectAccessible(admin, "admin user search");
    await found.click();
    await expect(admin.getByRole("heading", { name: customer.email, level: 1 })).toBeVisible();
    await expectAccessible(admin, "admin user page");

    const grant = admin.getByRole("form", { name: "Grant credits", exact: true });
    await grant.getByLabel("Credits", { exact: true }).fill(String(GRANT));
    await grant.getByLabel("Reason", { exact: true }).fill(GRANT_REASON);
    await grant.getByRole("button", { name: "Grant credits" }).click();
    await expect(adminFact(admin, "Balance")).toHaveText(`${balance + GRANT} credits`);
    await expect(auditRows(admin, adminId, "grant")).toContainText(GRANT_REASON);

    // The user sees the credits.
    await create.goto();
    await expect(userPage.getByTestId("credit-balance")).toHaveAccessibleName(`${balance + GRANT} credits`);

    // The user's tab stays open and does not hear of the suspension before they press Create: its
    // balance refreshes (which would tell it) are held back, so the refusal is the server's.
    await userPage.route("**/api/me", (route) => route.abort());

    const suspend = admin.getByRole("form", { name: "Suspend", exact: true });
    await suspend.getByLabel("Reason", { exact: true }).fill(SUSPEND_REASON);
    await suspend.getByRole("button", { name: "Suspend" }).click();
    await expect(adminFact(admin, "Suspended")).toHaveText(new RegExp(`^since .+ UTC: ${SUSPEND_REASON}$`));
    await expect(auditRows(admin, adminId, "suspend")).toContainText(SUSPEND_REASON);
    await expect(admin.getByRole("form", { name: "Lift the suspension", exact: true })).toBeVisible();
    await expectAccessible(admin, "admin user page, suspended");

    const refusedPrompt = "A harbour at night, refused";
    await create.prompt().fill(refusedPrompt);
    await create.submitButton().click();
    const refusal = userPage.getByTestId("submit-error");
    await expect(refusal).toContainText(`Your account is suspended: ${SUSPEND_REASON}.`);
    await expect(refusal).toContainText("Nothing was charged.");
    await expect(create.cards().filter({ hasText: refusedPrompt })).toHaveCount(0);

    // Opened again, the form says why before anything is tried, and the balance is untouched.
    await userPage.unroute("**/api/me");
    await userPage.goto("/create");
    await expect(userPage.getByTestId("suspended-notice")).toContainText(SUSPEND_REASON);
    await expect(create.submitButton()).toBeDisabled();
    await expect(userPage.getByTestId("credit-balance")).toHaveAccessibleName(`${balance + GRANT} credits`);
    await expect(create.cards().filter({ hasText: refusedPrompt })).toHaveCount(0);

    // The admin reads the failed job: its timeline, and the reseller's raw answers without a key.
    await openTheFailedJobOf(admin, customer.email);
    await expect(admin).toHaveURL(new RegExp(`/admin/jobs/${failedId}$`));
    await expect(adminFact(admin, "Reseller")).toContainText("apiframe (asked for auto");
    await expectFailedTimeline(admin);
    const answers = admin.getByRole("region", { name: "Last raw reseller answers" });
    await expect(answers.getByRole("listitem").first().locator("pre")).not.toBeEmpty();
    await expect(answers).toContainText("FAILED");
    const raw = await answers.innerText();
    for (const key of EMULATOR_KEYS) expect(raw, "no reseller key in the answers").not.toContain(key);
    expect(raw, "callback tokens and media signatures are redacted").not.toMatch(
      /[?&](token|sig)=(?!\[redacted\])/,
    );
    await expectAccessible(admin, "admin job page");

    // The ticket is settled: the suspension is lifted.
    await admin.getByRole("link", { name: customer.email, exact: true }).click();
    await admin.getByRole("button", { name: "Lift the suspension" }).click();
    await expect(admin.getByRole("form", { name: "Suspend", exact: true })).toBeVisible();

    // The admin switches Apiframe off; the user's next Auto create goes to another reseller.
    try {
      await admin.goto("/admin/resellers");
      await expect(admin.getByRole("heading", { name: "Resellers", level: 1 })).toBeVisible();
      const apiframe = admin
        .getByRole("listitem")
        .filter({ has: admin.getByRole("heading", { name: "Apiframe" }) });
      await apiframe.getByRole("button", { name: "Disable Apiframe" }).click();
      await expect(apiframe.getByRole("button", { name: "Enable Apiframe" })).toBeVisible();
      await expect(apiframe.getByRole("definition").first()).toHaveText("Disabled");
      await expectAccessible(admin, "the resellers page, Apiframe disabled");
      await admin.goto("/admin/audit");
      await expect(auditRows(admin, adminId, "reseller_disable")).toContainText('"reseller":"apiframe"');

      await openStudio(userPage, "/create", "Create image");
      await expect(userPage.getByLabel("Provider")).toHaveValue("auto");
      const rerouted = await create.create("A harbour at dawn, after the switch");
      await settled(rerouted);
      await rerouted.getByRole("link", { name: "Details" }).click();
      const provider = userPage.getByTestId("fact-provider");
      await expect(provider).toContainText("(picked by Auto)");
      await expect(provider).not.toContainText("Apiframe");
      await expect(provider).toContainText(/reve2img|Reve Art/);
    } finally {
      await adminCli(["reseller", "enable", "--reseller", "apiframe", "--reason", "End of the journey"]);
    }
  } finally {
    await userContext.close();
  }
});
