import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { fakePng, pngFile } from "./support/images";
import { openStudio } from "./support/studio";

const result = (page: Page) => page.getByTestId("job-result");

async function submitEdit(page: Page, instruction: string, provider = "auto") {
  await page.getByLabel("Instruction").fill(instruction);
  await page.getByLabel("Provider").selectOption(provider);
  await page.getByRole("button", { name: "Edit image" }).click();
  await expect(result(page)).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
}

test("edit an uploaded image, compare before and after, then edit the result again", async ({
  page,
  user,
}) => {
  void user;
  await openStudio(page, "/create/edit", "Edit image");
  await page.getByLabel("Choose an image").setInputFiles(await pngFile("street.png", 160, 120, "#d97706"));
  await expect(page.getByTestId("input-image")).toHaveAttribute("data-status", "ready");
  await expect(page.getByTestId("input-image")).toContainText("160 × 120");

  await submitEdit(page, "Make it night with warm windows");
  const slider = result(page).getByRole("slider", { name: "Compare the input and the result" });
  await expect(slider).toHaveAttribute("aria-valuetext", "50% input, 50% result");
  await slider.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(slider).toHaveAttribute("aria-valuetext", "49% input, 51% result");

  const firstId = await result(page).getByRole("link", { name: "Details" }).getAttribute("href");
  await result(page).getByRole("button", { name: "Edit again" }).click();
  await expect(page.getByLabel("Instruction")).toHaveValue("");
  await expect(page.getByTestId("input-image")).toHaveAttribute("data-status", "ready");
  await submitEdit(page, "Add light rain", "reve2img");

  // The second edit continues the first: its page shows both steps.
  await result(page).getByRole("link", { name: "Details" }).click();
  await expect(page.getByTestId("chain-step")).toHaveCount(2);
  await expect(page.getByTestId("chain-step").first().getByRole("link")).toHaveAttribute("href", firstId!);
  await expect(page.getByTestId("chain").getByRole("slider")).toHaveCount(2);
  await expectAccessible(page, "detail with chain");
});

test("an image pasted with Ctrl+V becomes the input", async ({ page, user }) => {
  void user;
  await openStudio(page, "/create/edit", "Edit image");
  await page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 120;
    canvas.height = 90;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#16a34a";
    ctx.fillRect(0, 0, 120, 90);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), "image/png"));
    const data = new DataTransfer();
    data.items.add(new File([blob], "pasted.png", { type: "image/png" }));
    document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
  });
  await expect(page.getByTestId("input-image")).toHaveAttribute("data-status", "ready");
  await expect(page.getByTestId("input-image")).toContainText("120 × 90");
  await submitEdit(page, "Turn it into a watercolor", "reve2img");
  await expect(result(page).getByRole("slider")).toBeVisible();
});

test("a file that is not an image is refused clearly; a dropped image replaces it", async ({
  page,
  user,
}) => {
  void user;
  await openStudio(page, "/create/edit", "Edit image");
  await page.getByLabel("Choose an image").setInputFiles(fakePng());
  await expect(page.getByTestId("upload-error")).toContainText(/JPEG, PNG or WebP/);
  await page.getByLabel("Instruction").fill("Anything");
  await page.getByRole("button", { name: "Edit image" }).click();
  await expect(page.getByText("Choose another image: this one could not be uploaded.")).toBeVisible();
  await expectAccessible(page, "edit");

  // Files held over the page show the overlay; dropping one anywhere uploads it.
  const transfer = await page.evaluateHandle(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 80;
    canvas.height = 80;
    canvas.getContext("2d")!.fillRect(0, 0, 80, 80);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), "image/png"));
    const data = new DataTransfer();
    data.items.add(new File([blob], "dropped.png", { type: "image/png" }));
    return data;
  });
  await page.dispatchEvent("main", "dragenter", { dataTransfer: transfer });
  await expect(page.getByTestId("drop-overlay")).toBeVisible();
  await page.dispatchEvent("main", "drop", { dataTransfer: transfer });
  await expect(page.getByTestId("drop-overlay")).toHaveCount(0);
  await expect(page.getByTestId("input-image")).toHaveAttribute("data-status", "ready");
  await expect(page.getByTestId("upload-error")).toHaveCount(0);
});
