"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import type { BulkTarget } from "@/lib/bulk";
import type { GalleryFilter } from "@/lib/gallery-filter";
import { wireFilter } from "@/lib/gallery-query";
import { type GallerySelection, NO_SELECTION as NONE, toggleSelection } from "@/lib/gallery-selection";

/**
 * The gallery's selection: ticks (shift extends a range from the last tick), "all matching", and
 * Escape to clear. `order` is the loaded tiles' ids in grid order.
 *
 * `toggle` and `draggedIds` keep their identity from render to render, so the grid's memoized tiles
 * re-render only when their own tick changes, not on every scroll or page load.
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

  // The latest order, anchor and selection, for the stable callbacks below.
  const latest = useRef({ order, anchor, selection });
  useLayoutEffect(() => {
    latest.current = { order, anchor, selection };
  });

  const clear = useCallback(() => {
    setSelection(NONE);
    setAnchor(null);
  }, []);

  const toggle = useCallback((id: string, extend: boolean) => {
    const { order: ids, anchor: from } = latest.current;
    setSelection((current) => toggleSelection(current, ids, from, id, extend));
    setAnchor(id);
  }, []);

  /** What dragging tile `id` carries: the whole selection when the tile is in it, else the tile. */
  const draggedIds = useCallback((id: string): string[] => {
    const { selection: current } = latest.current;
    return current.all === null && current.ids.has(id) ? [...current.ids] : [id];
  }, []);

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

  return { selection, count, isSelected, toggle, draggedIds, selectAll, clear, target };
}
