"use client";

import { useQueryClient } from "@tanstack/react-query";
import { FolderPlus } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import type { BulkTarget } from "@/lib/bulk";
import type { CollectionSummary } from "@/lib/collections";
import { GENERATIONS_KEY } from "@/lib/query-keys";
import { addToCollectionAction } from "@/server/actions/add-to-collection";

const control = "border-border bg-surface text-fg h-10 rounded-lg border px-3 text-sm";

/** A collection picker and an Add button, for the selection bar and the detail page. */
export function AddToCollection({
  collections,
  target,
  onAdded,
}: {
  collections: CollectionSummary[];
  target: BulkTarget;
  onAdded?: () => void;
}) {
  const [chosen, setChosen] = useState("");
  const [pending, startTransition] = useTransition();
  const client = useQueryClient();
  const router = useRouter();
  const selectId = useId();
  if (collections.length === 0) return null;
  const id = chosen || collections[0]!.id;

  function add() {
    startTransition(async () => {
      const result = await addToCollectionAction({ id, target }).catch(() => null);
      if (!result || !result.ok) {
        toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
        return;
      }
      const name = collections.find((c) => c.id === id)?.name ?? "the collection";
      const { changed } = result.data;
      toast.success(
        changed === 0
          ? `Already in “${name}”.`
          : `Added ${changed} ${changed === 1 ? "image" : "images"} to “${name}”.`,
      );
      await client.invalidateQueries({ queryKey: GENERATIONS_KEY });
      // Collection counts come with the page.
      router.refresh();
      onAdded?.();
    });
  }

  return (
    <span className="flex items-center gap-1">
      <label htmlFor={selectId} className="sr-only">
        Collection
      </label>
      <select id={selectId} value={id} onChange={(e) => setChosen(e.target.value)} className={control}>
        {collections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <Button variant="secondary" onClick={add} disabled={pending}>
        <FolderPlus className="size-4" aria-hidden /> Add to collection
      </Button>
    </span>
  );
}
