"use client";

import { useQuery } from "@tanstack/react-query";
import { Coins } from "lucide-react";
import Link from "next/link";

import { fetchJson } from "@/lib/query-client";

export interface Me {
  id: string;
  email: string | null;
  name: string | null;
  credits: number;
}

export const ME_QUERY_KEY = ["me"] as const;

/** The live balance: refreshed on an interval, on focus, and whenever a job changes it. */
export function useMe(initial?: Me) {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: () => fetchJson<Me>("/api/me"),
    initialData: initial,
    refetchInterval: 15_000,
  });
}

export function CreditBalance({ initial }: { initial: Me }) {
  const { data } = useMe(initial);
  const credits = data?.credits ?? initial.credits;
  return (
    <Link
      href="/account"
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
