"use client";

import { LoaderCircle } from "lucide-react";

import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { formatCredits } from "@/lib/format";
import { useHydrated } from "@/hooks/use-hydrated";
import { useMe } from "@/hooks/use-me";

import { CostSummary } from "./cost-summary";

/** Price, balance after, the server's refusal if any, and the button: the bottom of every form. */
export function SubmitBar({
  label,
  cost,
  balance,
  submitting,
  blocked,
  error,
  count = 1,
}: {
  label: string;
  /** The whole price: the price of one image times `count`. */
  cost: number;
  /** How many images the submit makes. */
  count?: number;
  balance: number | undefined;
  submitting: boolean;
  /** Set when the form cannot be sent as it is; the reason is shown where it applies. */
  blocked: boolean;
  error?: string;
}) {
  const short = balance !== undefined && balance < cost;
  const hydrated = useHydrated();
  // A suspended account is told why before it tries; the server refuses the submit regardless.
  const suspended = useMe().data?.suspended ?? null;
  return (
    <div className="flex flex-col gap-3">
      <CostSummary cost={cost} balance={balance} count={count} />
      {suspended && !error ? (
        <FormAlert role="status" data-testid="suspended-notice">
          {suspended} Nothing will be charged.
        </FormAlert>
      ) : null}
      {error ? <FormAlert data-testid="submit-error">{error}</FormAlert> : null}
      <Button
        type="submit"
        disabled={!hydrated || submitting || blocked || short || suspended !== null}
        className="w-full"
      >
        {submitting ? <LoaderCircle className="size-4 motion-safe:animate-spin" aria-hidden /> : null}
        {submitting ? "Submitting…" : label}
      </Button>
      <p className="text-muted text-center text-xs">
        {short
          ? `Not enough credits for ${count > 1 ? "these jobs" : "this job"}.`
          : count > 1
            ? `${formatCredits(cost)} are held now; each image's share is refunded if it fails.`
            : `${formatCredits(cost)} ${cost === 1 ? "is" : "are"} held now and refunded if the job fails.`}
      </p>
    </div>
  );
}
