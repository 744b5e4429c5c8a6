"use client";

import { useMe } from "./use-me";

/** The balance, and whether it falls short of a submit's price, shown before the button is pressed. */
export function useAffordability(cost: number) {
  const { data } = useMe();
  const balance = data?.credits;
  const short = balance !== undefined && balance < cost;
  return { balance, short };
}
