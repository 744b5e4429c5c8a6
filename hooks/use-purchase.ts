"use client";

import { useQuery } from "@tanstack/react-query";

import { fetchJson } from "@/lib/query-client";
import { purchaseKey } from "@/lib/query-keys";

export interface PurchaseDto {
  status: "pending" | "paid" | "refunded" | "disputed";
  credits: number;
  paidAt: string | null;
  balance: number;
}

/**
 * A purchase waiting for Stripe's webhook: polled like a job (every second at first, then slower)
 * until it is no longer pending. The return from Checkout proves nothing; only the webhook credits.
 */
export function usePurchase(checkoutSessionId: string) {
  return useQuery({
    queryKey: purchaseKey(checkoutSessionId),
    queryFn: () => fetchJson<PurchaseDto>(`/api/billing/purchases/${encodeURIComponent(checkoutSessionId)}`),
    refetchInterval: (query) => {
      if (query.state.data && query.state.data.status !== "pending") return false;
      return Math.min(1000 * 1.5 ** Math.floor(query.state.dataUpdateCount / 5), 10_000);
    },
  });
}
