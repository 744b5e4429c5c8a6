"use client";

import { Coins } from "lucide-react";
import Link from "next/link";

import { useMe } from "@/hooks/use-me";
import type { AccountDto } from "@/lib/dto";

export function CreditBalance({ initial }: { initial: AccountDto }) {
  const { data } = useMe(initial);
  const credits = data?.credits ?? initial.credits;
  return (
    <Link
      href="/credits"
      data-testid="credit-balance"
      aria-label={`${credits} credits`}
      className="border-border bg-surface flex h-9 items-center gap-1.5 rounded-full border px-3 text-sm font-medium tabular-nums"
    >
      <Coins className="text-accent size-4" aria-hidden />
      {/* The space keeps the visible text equal to the accessible name: "50 credits". */}
      <span>{credits}</span> <span className="text-muted max-sm:sr-only">credits</span>
    </Link>
  );
}
