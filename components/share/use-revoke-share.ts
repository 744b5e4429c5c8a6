"use client";

import { useTransition } from "react";
import { toast } from "sonner";

import type { ShareSummary } from "@/lib/shares";
import { revokeShareAction } from "@/server/actions/revoke-share";

/** Revokes a link and reports it; `onRevoked` drops it from the list shown. */
export function useRevokeShare(onRevoked: (id: string) => void) {
  const [pending, startTransition] = useTransition();
  function revoke(share: ShareSummary) {
    startTransition(async () => {
      const result = await revokeShareAction({ id: share.id }).catch(() => null);
      // Already gone is what the user wanted: drop it from the list all the same.
      if (result?.ok || result?.error.code === "not_found") {
        onRevoked(share.id);
        toast.success("Link revoked. It no longer opens.");
        return;
      }
      toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
    });
  }
  return { revoke, pending };
}
