import { Coins, FileArchive } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { AccountSection } from "@/components/account/account-section";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DeleteAccount } from "@/components/account/delete-account";
import { EmbedSettingsSwitch } from "@/components/account/embed-settings-switch";
import { LedgerTable } from "@/components/account/ledger-table";
import { PresetList } from "@/components/account/preset-list";
import { ShareLinks } from "@/components/account/share-links";
import { buttonClass } from "@/components/ui/button";
import { getEmbedSettings } from "@/server/account/embed-settings";
import { findAccount, getRecentLedger, hasPassword } from "@/server/account/get-account";
import { END_SESSION_PATH, requirePageUser } from "@/server/auth/session";
import { listPresets } from "@/server/presets/presets";
import { listShares } from "@/server/shares/shares";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser();
  const [account, ledger, withPassword, embedSettings, shares, presets] = await Promise.all([
    findAccount(user.id),
    getRecentLedger(user.id),
    hasPassword(user.id),
    getEmbedSettings(user.id),
    listShares(user.id),
    listPresets(user.id),
  ]);
  // Right after the account is deleted this page may render once more: clear the cookie, sign in.
  if (!account) redirect(END_SESSION_PATH);
  return (
    <div className="flex flex-col gap-8">
      <section className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Account</h1>
          <p className="text-muted text-sm">{account.email}</p>
        </div>
        {/* A route handler, not an action: it can send Clear-Site-Data with the redirect. */}
        <form action={END_SESSION_PATH} method="post">
          <button type="submit" className={buttonClass("secondary")}>
            Sign out
          </button>
        </form>
      </section>
      <section aria-labelledby="balance-heading" className="border-border bg-surface rounded-2xl border p-6">
        <h2 id="balance-heading" className="text-muted text-sm font-medium">
          Balance
        </h2>
        <p className="mt-1 text-4xl font-semibold tabular-nums" data-testid="account-balance">
          {account.credits} <span className="text-muted text-base font-normal">credits</span>
        </p>
        <Link href="/credits" className={buttonClass("secondary", "mt-4")}>
          <Coins className="size-4" aria-hidden /> Buy or redeem credits
        </Link>
      </section>
      <section aria-labelledby="history-heading" className="flex flex-col gap-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        <LedgerTable rows={ledger} />
      </section>
      <AccountSection id="security" title="Sign-in and security" gap="gap-5">
        {withPassword ? (
          <div className="flex flex-col gap-3">
            <h3 className="font-medium">Change password</h3>
            <ChangePasswordForm />
          </div>
        ) : null}
        <div className="border-border flex flex-wrap items-center justify-between gap-4 border-t pt-5">
          <div className="max-w-prose">
            <h3 className="font-medium">Sign out everywhere</h3>
            <p className="text-muted text-sm">
              Ends every session of this account, on every device and browser, this one included.
            </p>
          </div>
          <form action={`${END_SESSION_PATH}?everywhere=1`} method="post">
            <button type="submit" className={buttonClass("secondary")}>
              Sign out everywhere
            </button>
          </form>
        </div>
      </AccountSection>
      <AccountSection id="shares" title="Share links">
        <ShareLinks initial={shares} />
      </AccountSection>
      <AccountSection id="presets" title="Prompt presets">
        <PresetList initial={presets} />
      </AccountSection>
      <AccountSection id="data" title="Your data" gap="gap-5">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <div className="max-w-prose">
            <h3 className="font-medium">Export everything</h3>
            <p className="text-muted text-sm">
              A ZIP with every image, the settings of every job (generations.json), your credit history,
              collections, share links and presets.
            </p>
          </div>
          <a href="/api/account/export" download className={buttonClass("secondary")}>
            <FileArchive className="size-4" aria-hidden /> Export everything
          </a>
        </div>
        <div className="border-border flex flex-col gap-2 border-t pt-5">
          <h3 className="font-medium">Settings inside downloads</h3>
          <EmbedSettingsSwitch initial={embedSettings} />
        </div>
        <div className="border-border flex flex-wrap items-center justify-between gap-4 border-t pt-5">
          <div className="max-w-prose">
            <h3 className="text-danger font-medium">Delete account</h3>
            <p className="text-muted text-sm">
              Removes your account, images and credits for good. Running jobs must finish first.
            </p>
          </div>
          <DeleteAccount email={account.email} />
        </div>
      </AccountSection>
    </div>
  );
}
