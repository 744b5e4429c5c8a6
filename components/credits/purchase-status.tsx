"use client";

import { useQueryClient } from "@tanstack/react-query";
import { CircleCheck, LoaderCircle } from "lucide-react";
import { useEffect } from "react";

import { FormAlert } from "@/components/ui/form-alert";
import { usePurchase } from "@/hooks/use-purchase";
import { formatCredits } from "@/lib/format";
import { ME_KEY } from "@/lib/query-keys";

/** After Checkout: waits for the webhook that credits the pack, then shows the new balance. */
export function PurchaseStatus({ checkoutSessionId }: { checkoutSessionId: string }) {
  const { data, error } = usePurchase(checkoutSessionId);
  const client = useQueryClient();
  const paid = data !== undefined && data.status !== "pending";
  useEffect(() => {
    if (paid) void client.invalidateQueries({ queryKey: ME_KEY });
  }, [paid, client]);

  if (error) {
    return (
      <FormAlert>
        This purchase could not be found. If you were charged, your credits arrive as soon as the payment is
        confirmed.
      </FormAlert>
    );
  }
  return (
    <div
      role="status"
      data-testid="purchase-status"
      className="border-border bg-surface flex items-center gap-3 rounded-xl border px-4 py-3 text-sm"
    >
      {paid ? (
        <>
          <CircleCheck className="text-success size-5" aria-hidden />
          <span>
            {formatCredits(data.credits)} added. Your balance is{" "}
            <strong className="tabular-nums">{formatCredits(data.balance)}</strong>.
          </span>
        </>
      ) : (
        <>
          <LoaderCircle className="size-5 motion-safe:animate-spin" aria-hidden />
          <span>Payment received by Stripe; waiting for its confirmation to add your credits…</span>
        </>
      )}
    </div>
  );
}
