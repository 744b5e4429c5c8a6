// The gallery selection's rules, apart from React so they can be checked on their own.

export interface GallerySelection {
  /** Ticked one by one; empty in "all matching" mode. */
  ids: ReadonlySet<string>;
  /** "Select all matching": everything the filter matches, counted by the server. */
  all: { count: number } | null;
}

export const NO_SELECTION: GallerySelection = { ids: new Set(), all: null };

/**
 * Ticks or unticks `id`. With `extend` (shift) the whole range from `anchor` to `id` in grid `order`
 * takes the state the clicked tile goes to. Leaving "all matching" keeps what is loaded.
 */
export function toggleSelection(
  current: GallerySelection,
  order: readonly string[],
  anchor: string | null,
  id: string,
  extend: boolean,
): GallerySelection {
  const ids = new Set(current.all ? order : current.ids);
  const from = anchor ? order.indexOf(anchor) : -1;
  const to = order.indexOf(id);
  const select = !ids.has(id);
  if (extend && from >= 0 && to >= 0) {
    for (const rangeId of order.slice(Math.min(from, to), Math.max(from, to) + 1)) {
      if (select) ids.add(rangeId);
      else ids.delete(rangeId);
    }
  } else if (select) ids.add(id);
  else ids.delete(id);
  return { ids, all: null };
}
