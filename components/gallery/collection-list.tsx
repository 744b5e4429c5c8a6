"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, Trash } from "lucide-react";
import { useRouter } from "next/navigation";
import { memo, useState, useTransition } from "react";
import { toast } from "sonner";

import { ShareDialog } from "@/components/share/share-dialog";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/action-result";
import { COLLECTION_NAME_MAX, type CollectionSummary } from "@/lib/collections";
import { DRAG_TYPE, draggedIds } from "@/lib/gallery-drag";
import { GENERATIONS_KEY } from "@/lib/query-keys";
import { addToCollectionAction } from "@/server/actions/add-to-collection";
import { createCollectionAction } from "@/server/actions/create-collection";
import { deleteCollectionAction } from "@/server/actions/delete-collection";
import { renameCollectionAction } from "@/server/actions/rename-collection";

const control = "border-border bg-surface text-fg h-10 rounded-lg border px-3 text-sm";
const pill = (active: boolean) =>
  `h-8 rounded-full border px-3 text-sm transition ${active ? "border-accent bg-accent text-accent-fg" : "border-border hover:bg-surface-2"}`;

/**
 * The user's collections as gallery filters, with create, rename and delete. Memoized: a page of the
 * gallery arriving re-renders the view, not this list.
 */
export const CollectionList = memo(function CollectionList({
  collections,
  active,
  onOpen,
}: {
  collections: CollectionSummary[];
  active: string | undefined;
  onOpen: (id: string | undefined) => void;
}) {
  const router = useRouter();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [pending, startTransition] = useTransition();
  const current = collections.find((c) => c.id === active);

  function run<T>(action: () => Promise<ActionResult<T>>, done: (data: T) => void) {
    startTransition(async () => {
      const result = await action().catch(() => null);
      if (!result || !result.ok) {
        toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
        return;
      }
      done(result.data);
      router.refresh();
    });
  }

  /** Tiles dropped on a collection join it (the whole selection when a selected tile is dragged). */
  function dropOn(collection: CollectionSummary, event: React.DragEvent) {
    const ids = draggedIds(event.dataTransfer);
    if (ids.length === 0) return;
    event.preventDefault();
    run(
      () => addToCollectionAction({ id: collection.id, target: { ids } }),
      ({ changed }) => {
        // The collection's own gallery, if it was opened before, lists its images anew.
        void client.invalidateQueries({ queryKey: GENERATIONS_KEY });
        toast.success(`Added ${changed} ${changed === 1 ? "image" : "images"} to “${collection.name}”.`);
      },
    );
  }

  function submitName(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (renaming && current) {
      run(
        () => renameCollectionAction({ id: current.id, name: renaming }),
        () => setRenaming(null),
      );
    } else {
      run(
        () => createCollectionAction({ name }),
        (created) => {
          setName("");
          onOpen(created.id);
        },
      );
    }
  }

  return (
    <nav aria-label="Collections" className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={pill(!active)}
        aria-pressed={!active}
        onClick={() => onOpen(undefined)}
      >
        All images
      </button>
      {collections.map((c) => (
        <button
          key={c.id}
          type="button"
          className={pill(c.id === active)}
          aria-pressed={c.id === active}
          onClick={() => onOpen(c.id)}
          onDragOver={(event) => {
            if (event.dataTransfer.types.includes(DRAG_TYPE)) event.preventDefault();
          }}
          onDrop={(event) => dropOn(c, event)}
        >
          {c.name} <span className="tabular-nums opacity-70">{c.count}</span>
        </button>
      ))}
      <form onSubmit={submitName} className="flex items-center gap-1">
        <label htmlFor="collection-name" className="sr-only">
          {renaming !== null ? "New name of the collection" : "Name of a new collection"}
        </label>
        <input
          id="collection-name"
          value={renaming ?? name}
          onChange={(e) => (renaming !== null ? setRenaming(e.target.value) : setName(e.target.value))}
          placeholder={renaming !== null ? "New name" : "New collection"}
          maxLength={COLLECTION_NAME_MAX}
          className={`${control} w-40`}
        />
        <Button type="submit" variant="ghost" disabled={pending}>
          <Plus className="size-4" aria-hidden /> {renaming !== null ? "Rename" : "Create collection"}
        </Button>
      </form>
      {current ? (
        <>
          <ShareDialog target={{ kind: "collection", id: current.id }} name={current.name} />
          <Button variant="ghost" onClick={() => setRenaming(current.name)} disabled={pending}>
            <Pencil className="size-4" aria-hidden /> Rename “{current.name}”
          </Button>
          <Button
            variant="ghost"
            className="text-danger"
            onClick={() => setDeleting(true)}
            disabled={pending}
          >
            <Trash className="size-4" aria-hidden /> Delete collection
          </Button>
          <ConfirmDialog
            open={deleting}
            onClose={() => setDeleting(false)}
            title={`Delete the collection “${current.name}”?`}
            description="Only the collection goes: its images stay in your gallery."
            confirmLabel="Delete collection"
            pendingLabel="Deleting…"
            pending={pending}
            onConfirm={() =>
              run(
                () => deleteCollectionAction({ id: current.id }),
                () => {
                  setDeleting(false);
                  onOpen(undefined);
                },
              )
            }
          />
        </>
      ) : null}
    </nav>
  );
});
