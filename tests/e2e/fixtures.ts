import { test as base, expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export const uniqueEmail = (tag: string) =>
  `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;

export class AuthPage {
  constructor(readonly page: Page) {}

  async signUp(email: string, password = PASSWORD, name?: string) {
    await this.page.goto("/sign-up");
    if (name) await this.page.getByLabel("Name (optional)").fill(name);
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  async signIn(email: string, password = PASSWORD) {
    await this.page.goto("/sign-in");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signOut() {
    const header = this.page.getByRole("banner");
    await header.getByRole("button", { name: /Account menu/ }).click();
    await header.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }

  /** The form's own alert (Next's route announcer is an alert too). */
  formAlert() {
    return this.page.locator("form").getByRole("alert");
  }

  balance() {
    return this.page.getByTestId("credit-balance");
  }
}

/** A fresh account per test: balances and galleries never leak between tests. */
export interface TestUser {
  email: string;
}

export const test = base.extend<{ auth: AuthPage; user: TestUser }>({
  auth: async ({ page }, use) => {
    await use(new AuthPage(page));
  },
  user: async ({ page, auth }, use) => {
    const email = uniqueEmail("studio");
    await auth.signUp(email);
    await expect(page).toHaveURL(/\/create/);
    await use({ email });
  },
});

export { expect };
