import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { adminCli, checkoutSession, deliverStripeEvent } from "./support/billing";
import { CreatePage, settled } from "./support/studio";

// A newcomer whose welcome credits are spent: the operator takes them with the admin CLI, which
// reaches the running embedded studio over loopback.
async function atZero(email: string) {
  const revoked = await adminCli([
    "revoke",
    "--email",
    email,
    "--credits",
    "50",
    "--reason",
    "Start at zero",
  ]);
  expect(revoked).toMatchObject({ balance: 0 });
}

test("at 0 credits the form shows the way to more; a voucher from the operator pays for an image", async ({
  page,
  user,
}) => {
  await atZero(user.email);
  const create = new CreatePage(page);
  // At 0 credits the form cannot be sent, so it is opened without waiting for its button.
  await page.goto("/create");
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName("0 credits");
  const summary = page.getByTestId("cost-summary");
  await expect(summary).toContainText("You have 0 credits");
  await expect(create.submitButton()).toBeDisabled();
  await expectAccessible(page, "create at 0 credits");

  await summary.getByRole("link", { name: "Get more credits" }).click();
  await expect(page).toHaveURL(/\/credits$/);
  await expect(page.getByRole("heading", { name: "Credits", level: 1 })).toBeVisible();
  await expectAccessible(page, "the credits page");

  const voucher = await adminCli(["voucher", "create", "--credits", "5", "--uses", "1"]);
  await page.getByLabel("Voucher code").fill(String(voucher.code).toLowerCase());
  await page.getByRole("button", { name: "Redeem" }).click();
  await expect(page.getByTestId("voucher-redeemed")).toHaveText(
    "5 credits added. Your balance is 5 credits.",
  );
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName("5 credits");

  // The same code again is refused, and says why.
  await page.getByLabel("Voucher code").fill(String(voucher.code));
  await page.getByRole("button", { name: "Redeem" }).click();
  await expect(page.getByText("You have already redeemed this code.")).toBeVisible();

  await create.goto();
  const card = await create.create("A lighthouse at dawn, paid by a voucher");
  await settled(card);
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName("4 credits");
});

test("buying a pack: Checkout opens, the page waits for Stripe's event, and a replay credits nothing more", async ({
  page,
  user,
  request,
}) => {
  await atZero(user.email);
  // Stripe's hosted page is out of reach here; the browser lands on a stand-in.
  await page.route("https://checkout.stripe.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Checkout</title><h1>Pay</h1>" }),
  );
  await page.goto("/credits");
  await expectAccessible(page, "the credits page with packs");
  await page.getByRole("button", { name: "Buy 100 credits" }).click();
  await page.waitForURL(/checkout\.stripe\.test/);
  const sessionId = page.url().match(/cs_test_[A-Za-z0-9_]+/)![0];
  const session = await checkoutSession(request, sessionId);
  expect(session.metadata).toMatchObject({ packId: "100", credits: "100" });

  // Back from Checkout before the webhook: the redirect alone credits nothing.
  await page.goto(`/credits?purchase=${sessionId}`);
  const status = page.getByTestId("purchase-status");
  await expect(status).toContainText("waiting for its confirmation");
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName("0 credits");
  await expectAccessible(page, "a purchase waiting for its webhook");

  const event = {
    id: `evt_${sessionId}`,
    type: "checkout.session.completed",
    object: {
      id: sessionId,
      object: "checkout.session",
      payment_status: "paid",
      payment_intent: `pi_${sessionId}`,
      amount_total: 500,
      currency: "usd",
      metadata: session.metadata,
    },
  };
  expect((await deliverStripeEvent(request, event)).status()).toBe(200);
  await expect(status).toHaveText("100 credits added. Your balance is 100 credits.");
  await expect(page.getByTestId("credit-balance")).toHaveAccessibleName("100 credits");

  const replay = await deliverStripeEvent(request, event);
  expect(await replay.json()).toEqual({ received: true, applied: false });
  await page.goto("/account");
  await expect(page.getByTestId("account-balance")).toContainText("100");
  await expect(page.getByRole("cell", { name: "Bought" })).toHaveCount(1);
});
