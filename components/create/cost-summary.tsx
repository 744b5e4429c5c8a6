"use client";

import { Coins } from "lucide-react";
import Link from "next/link";

import { formatCredits } from "@/lib/format";

/**
 * The price of a submit and the balance it leaves, shown before the button is pressed. A batch
 * shows its price as images × price of one.
 */
export function CostSummary({
  cost,
  balance,
  count = 1,
}: {
  cost: number;
  balance: number | undefined;
  count?: number;
}) {
  const short = balance !== undefined && balance < cost;
  return (
    <div
      data-testid="cost-summary"
      className={`flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-lg px-3 py-2 text-sm ${short ? "bg-danger/10 text-danger" : "bg-surface-2"}`}
    >
      <span className="flex items-center gap-1.5">
        <Coins className="size-4" aria-hidden />
        Costs{" "}
        <strong className="tabular-nums" data-testid="cost">
          {formatCredits(cost)}
        </strong>
        {count > 1 ? (
          <span className="text-muted tabular-nums" data-testid="cost-per-image">
            ({count} × {formatCredits(cost / count)})
          </span>
        ) : null}
      </span>
      {balance === undefined ? null : short ? (
        <span role="alert">
          You have {formatCredits(balance)}; this needs {formatCredits(cost)}.{" "}
          <Link href="/credits" className="font-medium underline underline-offset-4">
            Get more credits
          </Link>
        </span>
      ) : (
        <span className="text-muted">
          Balance after:{" "}
          <strong className="text-fg tabular-nums" data-testid="balance-after">
            {balance - cost}
          </strong>
        </span>
      )}
    </div>
  );
}
