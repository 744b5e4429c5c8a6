import { readFile } from "node:fs/promises";

import { strFromU8, unzipSync } from "fflate";

import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/a11y";
import { CreatePage, settled } from "./support/studio";

test("export everything as a ZIP with generations.json, then delete the account", async ({
  page,
  user,
  auth,
}) => {
  const create = new CreatePage(page);
  await create.goto();
  const card = await create.create("A teapot shaped like a snail");
  await settled(card);

  await page.goto("/account");
  await expect(page.getByTestId("ledger")).toContainText("Held for a job");
  await expectAccessible(page, "account");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export everything" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const generations = JSON.parse(strFromU8(files["generations.json"]!)) as unknown;
  expect(JSON.stringify(generations)).toContain("A teapot shaped like a snail");

  await page.getByRole("button", { name: "Delete account" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  const confirm = dialog.getByRole("button", { name: "Delete my account" });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill("someone-else@example.test");
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill(user.email);
  await confirm.click();
  await expect(page).toHaveURL(/\/sign-in/);

  await auth.signIn(user.email);
  await expect(auth.formAlert()).toHaveText("Wrong email or password.");
});
