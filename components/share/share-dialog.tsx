"use client";

import { Share2 } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useHydrated } from "@/hooks/use-hydrated";
import { SHARE_EXPIRY_DAYS, type ShareSummary, type ShareTarget } from "@/lib/shares";
import { createShareAction } from "@/server/actions/create-share";
import { listSharesAction } from "@/server/actions/list-shares";

import { ShareLinkRow } from "./share-link-row";
import { useRevokeShare } from "./use-revoke-share";

const control = "border-border bg-surface text-fg h-10 rounded-lg border px-3 text-sm";

/** A Share button and its dialog: make a public link to an image or a collection, see and revoke its links. */
export function ShareDialog({ target, name }: { target: ShareTarget; name: string }) {
  const [open, setOpen] = useState(false);
  const [links, setLinks] = useState<ShareSummary[]>([]);
  const [showPrompt, setShowPrompt] = useState(false);
  const [allowIndexing, setAllowIndexing] = useState(false);
  const [expiry, setExpiry] = useState("");
  const [pending, startTransition] = useTransition();
  const { revoke, pending: revoking } = useRevokeShare((id) =>
    setLinks((all) => all.filter((l) => l.id !== id)),
  );
  const hydrated = useHydrated();
  const ids = { prompt: useId(), index: useId(), expiry: useId() };

  function openDialog() {
    setOpen(true);
    startTransition(async () => {
      const result = await listSharesAction({ target }).catch(() => null);
      if (result?.ok) setLinks(result.data);
    });
  }

  function create(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createShareAction({
        target,
        showPrompt,
        allowIndexing,
        expiresInDays: expiry ? (Number(expiry) as (typeof SHARE_EXPIRY_DAYS)[number]) : null,
      }).catch(() => null);
      if (!result || !result.ok) {
        toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
        return;
      }
      setLinks((all) => [result.data, ...all]);
      toast.success("Link created. Anyone with it can see what you shared.");
    });
  }

  return (
    <>
      <Button variant="secondary" onClick={openDialog} disabled={!hydrated}>
        <Share2 className="size-4" aria-hidden /> Share
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Share ${target.kind === "collection" ? `the collection “${name}”` : "this image"}`}
        description={
          target.kind === "collection"
            ? "Anyone with the link sees the images in this collection, as it is now and as it changes. Never your email, name, credits or other images."
            : "Anyone with the link sees this image. Never your email, name, credits or other images."
        }
      >
        <form onSubmit={create} className="flex flex-col gap-3">
          <label htmlFor={ids.prompt} className="flex items-center gap-2 text-sm">
            <input
              id={ids.prompt}
              type="checkbox"
              checked={showPrompt}
              onChange={(e) => setShowPrompt(e.target.checked)}
              className="size-4"
            />
            Show the prompt
          </label>
          <label htmlFor={ids.index} className="flex items-center gap-2 text-sm">
            <input
              id={ids.index}
              type="checkbox"
              checked={allowIndexing}
              onChange={(e) => setAllowIndexing(e.target.checked)}
              className="size-4"
            />
            Let search engines index the page
          </label>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={ids.expiry} className="text-sm font-medium">
              Expires
            </label>
            <select
              id={ids.expiry}
              value={expiry}
              onChange={(e) => setExpiry(e.target.value)}
              className={control}
            >
              <option value="">Never (until revoked)</option>
              {SHARE_EXPIRY_DAYS.map((days) => (
                <option key={days} value={days}>
                  After {days} {days === 1 ? "day" : "days"}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" disabled={pending} data-autofocus>
            Create link
          </Button>
        </form>
        {links.length > 0 ? (
          <section aria-label="Live links" className="flex flex-col gap-2">
            <h3 className="text-sm font-medium">Live links</h3>
            <ul className="flex flex-col gap-2">
              {links.map((link) => (
                <ShareLinkRow key={link.id} share={link} onRevoke={revoke} pending={revoking} />
              ))}
            </ul>
          </section>
        ) : null}
      </Dialog>
    </>
  );
}
