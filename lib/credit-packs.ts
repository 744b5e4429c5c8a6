/** A credit pack the studio sells: its id is its credit count. */
export interface CreditPack {
  id: string;
  credits: number;
  amountCents: number;
}

/** Parses `100:500,500:2000` (credits:price in cents); null when any pair is malformed. */
export function parseCreditPacks(value: string): CreditPack[] | null {
  const packs: CreditPack[] = [];
  for (const part of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^(\d{1,7}):(\d{1,9})$/.exec(part);
    if (!match) return null;
    const credits = Number(match[1]);
    const amountCents = Number(match[2]);
    if (credits <= 0 || amountCents <= 0) return null;
    if (packs.some((p) => p.credits === credits)) return null;
    packs.push({ id: String(credits), credits, amountCents });
  }
  return packs.sort((a, b) => a.credits - b.credits);
}

/** "$5.00", in the reader's locale. */
export function formatPrice(amountCents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(
    amountCents / 100,
  );
}

/** Where a person with too few credits can get more, as the operator has set the studio up. */
export interface CreditSources {
  /** Stripe Checkout is configured. */
  buy: boolean;
  /** Vouchers can always be redeemed. */
  redeem: true;
}
