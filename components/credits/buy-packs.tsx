"use client";

import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { errorText } from "@/lib/action-result";
import { type CreditPack, formatPrice } from "@/lib/credit-packs";
import { buyCredits } from "@/server/actions/buy-credits";

/** One button per pack; each opens Stripe Checkout. */
export function BuyPacks({ packs, currency }: { packs: CreditPack[]; currency: string }) {
  const [state, action, pending] = useActionState(buyCredits, null);
  return (
    <div className="flex flex-col gap-3">
      <ul className="grid gap-3 sm:grid-cols-2">
        {packs.map((pack) => (
          <li
            key={pack.id}
            className="border-border flex items-center justify-between gap-4 rounded-xl border p-4"
          >
            <div>
              <p className="text-lg font-semibold tabular-nums">{pack.credits} credits</p>
              <p className="text-muted text-sm">{formatPrice(pack.amountCents, currency)}</p>
            </div>
            <form action={action}>
              <input type="hidden" name="packId" value={pack.id} />
              <Button type="submit" disabled={pending} aria-label={`Buy ${pack.credits} credits`}>
                Buy
              </Button>
            </form>
          </li>
        ))}
      </ul>
      {state?.ok === false ? <FormAlert>{errorText(state.error)}</FormAlert> : null}
    </div>
  );
}
