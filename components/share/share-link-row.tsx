"use client";

import { Copy, Link2Off } from "lucide-react";
import { useSyncExternalStore } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { sharePath, type ShareSummary } from "@/lib/shares";

const never = () => () => undefined;

/** The link's full address once in the browser (the server does not know the page's origin). */
export function useShareUrl(id: string): string {
  return useSyncExternalStore(
    never,
    () => `${window.location.origin}${sharePath(id)}`,
    () => sharePath(id),
  );
}

/** One live link: its address to copy, what it shows, when it ends, and Revoke. */
export function ShareLinkRow({
  share,
  onRevoke,
  pending,
  showLabel = false,
}: {
  share: ShareSummary;
  onRevoke: (share: ShareSummary) => void;
  pending: boolean;
  showLabel?: boolean;
}) {
  const url = useShareUrl(share.id);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      toast.success("Link copied");
    } catch {
      toast.error("The browser did not allow copying. Select the link and copy it by hand.");
    }
  }

  return (
    <li className="border-border flex flex-col gap-2 rounded-xl border p-3" data-testid="share-link">
      {showLabel ? (
        <p className="truncate text-sm font-medium">
          {share.kind === "collection" ? "Collection" : "Image"}: {share.label}
        </p>
      ) : null}
      <div className="flex items-center gap-2">
        <label htmlFor={`share-${share.id}`} className="sr-only">
          Link address
        </label>
        <input
          id={`share-${share.id}`}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className="border-border bg-surface-2 text-fg h-9 min-w-0 flex-1 rounded-lg border px-2 font-mono text-xs"
        />
        <Button variant="secondary" onClick={copy} className="h-9" aria-label="Copy link">
          <Copy className="size-4" aria-hidden />
        </Button>
      </div>
      <div className="text-muted flex flex-wrap items-center justify-between gap-2 text-xs">
        <span>
          {share.showPrompt ? "Prompt shown" : "Prompt hidden"} ·{" "}
          {share.allowIndexing ? "Search engines may index it" : "Not indexed"} ·{" "}
          {share.expiresAt ? (
            <>
              Ends <LocalTime iso={share.expiresAt} />
            </>
          ) : (
            "No expiry"
          )}
        </span>
        <Button
          variant="ghost"
          className="text-danger h-8"
          onClick={() => onRevoke(share)}
          disabled={pending}
        >
          <Link2Off className="size-4" aria-hidden /> Revoke
        </Button>
      </div>
    </li>
  );
}
