import { expect, PASSWORD, test, uniqueEmail } from "./fixtures";

test("sign up, see the starting balance, sign out and sign in again", async ({ page, auth }) => {
  const email = uniqueEmail("signup");
  await auth.signUp(email, PASSWORD, "Ada");
  await expect(page).toHaveURL(/\/create/);
  await expect(auth.balance()).toHaveAccessibleName("50 credits");

  await page.goto("/account");
  await expect(page.getByTestId("account-balance")).toContainText("50");
  await expect(page.getByTestId("ledger")).toContainText("Welcome credits");

  await auth.signOut();
  await page.goto("/gallery");
  await expect(page).toHaveURL(/\/sign-in/);

  await auth.signIn(email);
  await expect(page).toHaveURL(/\/create/);
  await expect(auth.balance()).toHaveAccessibleName("50 credits");
});

test("a wrong password is refused with a message", async ({ page, auth }) => {
  const email = uniqueEmail("wrongpw");
  await auth.signUp(email);
  await expect(page).toHaveURL(/\/create/);
  await auth.signOut();

  await auth.signIn(email, "not the right password");
  await expect(auth.formAlert()).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a taken email and a weak password are refused with clear messages", async ({ page, auth }) => {
  const email = uniqueEmail("taken");
  await auth.signUp(email);
  await expect(page).toHaveURL(/\/create/);
  await auth.signOut();

  await auth.signUp(email);
  await expect(auth.formAlert()).toContainText("already exists");

  await auth.signUp(uniqueEmail("weak"), "short");
  await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
});

test("an anonymous visit to the gallery is sent to sign-in", async ({ page }) => {
  await page.goto("/gallery");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});
