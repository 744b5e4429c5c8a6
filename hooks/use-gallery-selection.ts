"use client";

import { useCallback, useEffect, useState } from "react";

import type { BulkTarget } from "@/lib/bulk";
import type { GalleryFilter } from "@/lib/gallery-filter";
import { wireFilter } from "@/lib/gallery-query";
import { type GallerySelection, NO_SELECTION as NONE, toggleSelection } from "@/lib/gallery-selection";

/**
 * The gallery's selection: ticks (shift extends a range from the last tick), "all matching", and
 * Escape to clear. `order` is the loaded tiles' ids in grid order.
 */
export function useGallerySelection(order: string[], filter: GalleryFilter) {
  const [selection, setSelection] = useState<GallerySelection>(NONE);
  const [anchor, setAnchor] = useState<string | null>(null);
  const [filterSeen, setFilterSeen] = useState(filter);

  // Another filter shows other images: what was selected is no longer on screen.
  if (filterSeen !== filter) {
    setFilterSeen(filter);
    setSelection(NONE);
    setAnchor(null);
  }

  const clear = useCallback(() => {
    setSelection(NONE);
    setAnchor(null);
  }, []);

  function toggle(id: string, extend: boolean) {
    setSelection((current) => toggleSelection(current, order, anchor, id, extend));
    setAnchor(id);
  }

  const selectAll = (count: number) => setSelection({ ids: new Set(), all: { count } });

  const count = selection.all ? selection.all.count : selection.ids.size;
  const isSelected = (id: string) => selection.all !== null || selection.ids.has(id);
  const target: BulkTarget = selection.all
    ? { all: true, filter: wireFilter(filter) }
    : { ids: [...selection.ids] };

  useEffect(() => {
    if (count === 0) return;
    function onKey(event: KeyboardEvent) {
      // An open dialog takes Escape for itself.
      if (event.key !== "Escape" || event.defaultPrevented || document.querySelector("dialog[open]")) return;
      clear();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [count, clear]);

  return { selection, count, isSelected, toggle, selectAll, clear, target };
}
