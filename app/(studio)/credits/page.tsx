import type { Metadata } from "next";

import { BuyPacks } from "@/components/credits/buy-packs";
import { PurchaseStatus } from "@/components/credits/purchase-status";
import { RedeemVoucherForm } from "@/components/credits/redeem-voucher-form";
import { formatCredits } from "@/lib/format";
import { getAccount } from "@/server/account/get-account";
import { requirePageUser } from "@/server/auth/session";
import { welcomeNotice } from "@/server/auth/welcome-credits";
import { creditOffer } from "@/server/billing/checkout";
import { getStudioConfig } from "@/server/studio-config";

export const metadata: Metadata = { title: "Credits" };

const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,200}$/;

export default async function CreditsPage({
  searchParams,
}: {
  searchParams: Promise<{ purchase?: string; verified?: string }>;
}) {
  const user = await requirePageUser();
  const [{ purchase, verified }, account, notice] = await Promise.all([
    searchParams,
    getAccount(user.id),
    welcomeNotice(user.id),
  ]);
  const offer = creditOffer();
  const { prices } = getStudioConfig();
  return (
    <div className="flex max-w-3xl flex-col gap-8">
      <section className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold">Credits</h1>
        <p className="text-muted text-sm">
          You have <strong className="text-fg tabular-nums">{formatCredits(account.credits)}</strong>. A
          create costs {formatCredits(prices.create)}, an edit {formatCredits(prices.edit)}, a remix{" "}
          {formatCredits(prices.remix)}. A job that fails gives its credits back.
        </p>
      </section>
      {verified === "yes" ? (
        <p role="status" className="border-border bg-surface rounded-xl border px-4 py-3 text-sm">
          Your email address is confirmed.
        </p>
      ) : verified === "expired" ? (
        <p
          role="alert"
          className="border-danger/40 bg-danger/10 text-danger rounded-xl border px-4 py-3 text-sm"
        >
          This confirmation link has expired or was already used.
        </p>
      ) : null}
      {notice ? (
        <p
          data-testid="welcome-notice"
          className="border-border bg-surface rounded-xl border px-4 py-3 text-sm"
        >
          {notice}
        </p>
      ) : null}
      {purchase && CHECKOUT_SESSION_ID.test(purchase) ? (
        <PurchaseStatus checkoutSessionId={purchase} />
      ) : null}
      {purchase === "cancelled" ? (
        <p role="status" className="border-border bg-surface rounded-xl border px-4 py-3 text-sm">
          Checkout was cancelled. Nothing was charged.
        </p>
      ) : null}
      <section
        aria-labelledby="buy-heading"
        className="border-border bg-surface flex flex-col gap-4 rounded-2xl border p-6"
      >
        <h2 id="buy-heading" className="text-lg font-semibold">
          Buy credits
        </h2>
        {offer.buy ? (
          <BuyPacks packs={offer.packs} currency={offer.currency} />
        ) : (
          <p className="text-muted text-sm">
            This studio does not sell credits. Redeem a voucher below, or ask the studio&apos;s operator for
            credits.
          </p>
        )}
      </section>
      <section
        aria-labelledby="voucher-heading"
        className="border-border bg-surface flex flex-col gap-4 rounded-2xl border p-6"
      >
        <h2 id="voucher-heading" className="text-lg font-semibold">
          Redeem a voucher
        </h2>
        <RedeemVoucherForm />
      </section>
    </div>
  );
}
