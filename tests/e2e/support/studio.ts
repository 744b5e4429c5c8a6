import { expect, type Locator, type Page } from "@playwright/test";

/** The create page and the job cards it lists. */
export class CreatePage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await openStudio(this.page, `/create${query}`, "Create image");
  }

  prompt() {
    return this.page.getByLabel("Prompt", { exact: true });
  }

  ratio(ratio: string) {
    return this.page.getByRole("radio", { name: ratio, exact: true });
  }

  submitButton() {
    return this.page.getByRole("button", { name: "Create image" });
  }

  cards() {
    return this.page.getByTestId("job-card");
  }

  /** Submits and waits for the server's answer (the button comes back). */
  async submit() {
    await this.submitButton().click();
    await expect(this.submitButton()).toBeEnabled();
  }

  async create(prompt: string) {
    await this.prompt().fill(prompt);
    await this.submit();
    const card = this.cards().filter({ hasText: prompt }).first();
    await expect(card).toHaveAttribute("data-generation-id", /.+/);
    return card;
  }
}

/**
 * Opens a create/edit/remix page and waits until React runs it (the submit button turns on), so
 * that what the test types is React's state and not only the DOM's.
 */
export async function openStudio(page: Page, path: string, submitLabel: string) {
  await page.goto(path);
  await expect(page.getByRole("button", { name: submitLabel, exact: true })).toBeEnabled();
}

/** Waits for a job card to settle and returns the state it ended in. */
export async function settled(card: Locator, status: "succeeded" | "failed" = "succeeded") {
  await expect(card).toHaveAttribute("data-status", status, { timeout: 30_000 });
}

/** The balance in the header, as a number. */
export async function headerBalance(page: Page): Promise<number> {
  const label = await page.getByTestId("credit-balance").getAttribute("aria-label");
  return Number(label?.match(/^(\d+)/)?.[1] ?? NaN);
}

/** True when every <img> inside has finished loading with real pixels. */
export async function imagesLoaded(scope: Locator) {
  return scope
    .locator("img")
    .evaluateAll(
      (imgs) =>
        imgs.length > 0 &&
        imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
    );
}
