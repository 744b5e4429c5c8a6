import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Fails on any serious or critical axe violation, listing rule and target for each.
 * Waits for running CSS transitions first: axe reads computed colours, and a button
 * caught halfway from `disabled:opacity-50` to opaque reads as low contrast.
 */
export async function expectAccessible(page: Page, label: string) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity) // spinners never end
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)}`).join(", ")}`,
    );
  expect(bad, `${label}: accessibility violations`).toEqual([]);
}

export async function setTheme(page: Page, theme: "light" | "dark") {
  const url = new URL(page.url() === "about:blank" ? "http://localhost" : page.url());
  await page.context().addCookies([{ name: "theme", value: theme, domain: url.hostname, path: "/" }]);
}
