"use client";

import { useQuery } from "@tanstack/react-query";

import type { AccountDto } from "@/lib/dto";
import { fetchJson } from "@/lib/query-client";
import { ME_KEY } from "@/lib/query-keys";

/** The live balance: refreshed on an interval, on focus, and whenever a job changes it. */
export function useMe(initial?: AccountDto) {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: () => fetchJson<AccountDto>("/api/me"),
    initialData: initial,
    refetchInterval: 15_000,
  });
}
