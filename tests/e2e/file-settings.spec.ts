import { readFile } from "node:fs/promises";

import type { Page } from "@playwright/test";
import sharp from "sharp";

import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { CreatePage, settled } from "./support/studio";

/** Drops a file with these bytes on the page, the way a file dragged from the desktop arrives. */
async function dropFile(page: Page, bytes: Buffer, name: string) {
  const transfer = await page.evaluateHandle(
    ({ data, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type: "image/png" }));
      return transfer;
    },
    { data: [...bytes], name },
  );
  await page.dispatchEvent("main", "dragenter", { dataTransfer: transfer });
  await expect(page.getByTestId("drop-overlay")).toBeVisible();
  await page.dispatchEvent("main", "drop", { dataTransfer: transfer });
}

async function downloadFromDetail(page: Page): Promise<Buffer> {
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  return readFile((await (await downloading).path())!);
}

test("download an image, drop it back on Create and get its settings restored; off on the account, a file carries none", async ({
  page,
  user,
}) => {
  void user;
  const create = new CreatePage(page);
  await create.goto();
  const prompt = 'A "blue" heron <in> reeds & mist';
  // A ratio and a negative prompt that only Reve Art takes: the restore must bring back both.
  await create.ratio("16:9").click();
  await page.getByLabel("Negative prompt (optional)").fill("text, watermark");
  const card = await create.create(prompt);
  await settled(card);
  await card.getByRole("link", { name: "Details" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  const saved = await downloadFromDetail(page);
  expect((await sharp(saved).metadata()).xmp?.toString("utf8")).toContain(
    'reve:negativePrompt="text, watermark"',
  );

  // A fresh Create page: the drop offers the file's settings back, and edit or remix with it.
  await create.goto();
  await expect(create.prompt()).toHaveValue("");
  await dropFile(page, saved, "heron.png");
  const dropped = page.getByRole("region", { name: "Dropped image" });
  await expect(dropped.getByText("This image carries the settings it was made with.")).toBeVisible();
  await expect(dropped.getByRole("button", { name: "Edit it" })).toBeVisible();
  await expect(dropped.getByRole("button", { name: "Remix it" })).toBeVisible();
  await expectAccessible(page, "create with a dropped file");
  await dropped.getByRole("button", { name: "Restore its settings" }).click();
  await expect(page.getByText("Settings restored from heron.png.")).toBeVisible();
  await expect(create.prompt()).toHaveValue(prompt);
  await expect(create.ratio("16:9")).toBeChecked();
  await expect(page.getByLabel("Negative prompt (optional)")).toHaveValue("text, watermark");
  await expect(page).toHaveURL(/\/create$/);

  // An image from elsewhere is an upload, offered to Edit.
  const plain = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#884422" } })
    .png()
    .toBuffer();
  await dropFile(page, plain, "elsewhere.png");
  await expect(dropped.getByText(/Uploaded elsewhere\.png/)).toBeVisible();
  await dropped.getByRole("button", { name: "Edit it" }).click();
  await expect(page).toHaveURL(/\/create\/edit\?asset=/);
  await expect(page.getByTestId("input-image")).toHaveAttribute("data-status", "ready");

  // The privacy switch, with the keyboard: downloads then carry no settings.
  await page.goto("/account");
  const embed = page.getByRole("checkbox", { name: "Write the settings into downloaded images" });
  await expect(embed).toBeChecked();
  await embed.focus();
  await page.keyboard.press("Space");
  await expect(page.getByText("Downloads now carry no settings.")).toBeVisible();
  await expectAccessible(page, "account with the settings switch");
  await page.reload();
  await expect(embed).not.toBeChecked();
  await page.goto("/gallery");
  await page.getByTestId("gallery-item").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  const bare = await downloadFromDetail(page);
  expect((await sharp(bare).metadata()).xmp).toBeUndefined();
});
