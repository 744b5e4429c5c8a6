"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { formatCredits } from "@/lib/format";
import { ME_KEY } from "@/lib/query-keys";
import { redeemVoucherAction } from "@/server/actions/redeem-voucher";

export function RedeemVoucherForm() {
  const [state, action, pending] = useActionState(redeemVoucherAction, null);
  const client = useQueryClient();
  useEffect(() => {
    if (state?.ok) void client.invalidateQueries({ queryKey: ME_KEY });
  }, [state, client]);
  const error = state?.ok === false ? state.error : undefined;
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field
            id="voucher-code"
            name="code"
            label="Voucher code"
            autoComplete="off"
            spellCheck={false}
            placeholder="XXXX-XXXX-XXXX"
            error={error?.fieldErrors?.code ?? error?.message}
          />
        </div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Redeeming…" : "Redeem"}
        </Button>
      </div>
      {state?.ok ? (
        <p role="status" data-testid="voucher-redeemed" className="text-sm">
          {formatCredits(state.data.credits)} added. Your balance is{" "}
          <strong className="tabular-nums">{formatCredits(state.data.balance)}</strong>.
        </p>
      ) : null}
    </form>
  );
}
