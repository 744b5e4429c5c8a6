"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Download, Heart, HeartOff, Trash, X } from "lucide-react";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/action-result";
import type { BulkTarget } from "@/lib/bulk";
import type { CollectionSummary } from "@/lib/collections";
import { GENERATIONS_KEY } from "@/lib/query-keys";
import { deleteGenerations } from "@/server/actions/delete-generations";
import { removeFromCollectionAction } from "@/server/actions/remove-from-collection";
import { setFavorites } from "@/server/actions/set-favorites";

import { AddToCollection } from "./add-to-collection";

const images = (n: number) => `${n} ${n === 1 ? "image" : "images"}`;
const UNREACHABLE = "The studio could not be reached. Try again.";

/** What the gallery's selection can do: favourite, collect, download, delete; with the count it acts on. */
export function SelectionBar({
  count,
  allMatching,
  target,
  collections,
  openCollection,
  onSelectAll,
  onClear,
}: {
  count: number;
  allMatching: boolean;
  target: BulkTarget;
  collections: CollectionSummary[];
  /** The collection the gallery shows, if any: the selection can leave it. */
  openCollection?: CollectionSummary;
  /** Absent when everything the filter matches is already selected. */
  onSelectAll?: () => void;
  onClear: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const client = useQueryClient();
  const router = useRouter();

  function run<T>(action: () => Promise<ActionResult<T>>, done: (data: T) => string) {
    setError(undefined);
    startTransition(async () => {
      const result = await action().catch(() => null);
      if (!result || !result.ok) {
        const message = result ? result.error.message : UNREACHABLE;
        if (confirming) setError(message);
        else toast.error(message);
        return;
      }
      setConfirming(false);
      toast.success(done(result.data));
      await client.invalidateQueries({ queryKey: GENERATIONS_KEY });
      // Collection counts come with the page.
      router.refresh();
      onClear();
    });
  }

  const favorite = (value: boolean) =>
    run(
      () => setFavorites({ target, favorite: value }),
      ({ changed }) => `${value ? "Marked" : "Unmarked"} ${images(changed)} as favorite.`,
    );

  return (
    <div
      role="region"
      aria-label="Selection"
      className="border-border bg-surface sticky bottom-3 z-10 flex flex-wrap items-center gap-2 rounded-xl border p-2 shadow-lg"
    >
      <p className="px-2 text-sm font-medium" role="status" aria-live="polite" data-testid="selection-count">
        {allMatching ? `All ${images(count)} that match selected` : `${images(count)} selected`}
      </p>
      {onSelectAll ? (
        <Button variant="ghost" onClick={onSelectAll} disabled={pending}>
          Select all matching
        </Button>
      ) : null}
      <span className="grow" />
      <Button variant="secondary" onClick={() => favorite(true)} disabled={pending}>
        <Heart className="size-4" aria-hidden /> Mark as favorite
      </Button>
      <Button variant="secondary" onClick={() => favorite(false)} disabled={pending}>
        <HeartOff className="size-4" aria-hidden /> Unmark favorite
      </Button>
      <AddToCollection collections={collections} target={target} onAdded={onClear} />
      {openCollection ? (
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run(
              () => removeFromCollectionAction({ id: openCollection.id, target }),
              ({ changed }) => `Took ${images(changed)} out of “${openCollection.name}”.`,
            )
          }
        >
          Remove from “{openCollection.name}”
        </Button>
      ) : null}
      <form method="post" action="/api/generations/zip" className="contents">
        <input type="hidden" name="target" value={JSON.stringify(target)} />
        <Button variant="secondary" type="submit" disabled={pending}>
          <Download className="size-4" aria-hidden /> Download ZIP
        </Button>
      </form>
      <Button variant="danger" onClick={() => setConfirming(true)} disabled={pending}>
        <Trash className="size-4" aria-hidden /> Delete
      </Button>
      <Button variant="ghost" onClick={onClear} aria-label="Clear selection" title="Clear selection (Esc)">
        <X className="size-4" aria-hidden />
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete ${images(count)}?`}
        description="The images, their settings and any upload only they used are deleted for good. Images other jobs still use are kept. Running jobs are left alone."
        error={error}
        confirmLabel={`Delete ${images(count)}`}
        pendingLabel="Deleting…"
        pending={pending}
        onConfirm={() =>
          run(
            () => deleteGenerations(target),
            (data) => data.message,
          )
        }
      />
    </div>
  );
}
