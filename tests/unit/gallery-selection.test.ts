import { describe, expect, it } from "vitest";

import { BULK_IDS_MAX, bulkDeleteMessage, bulkTargetSchema } from "@/lib/bulk";
import { DRAG_TYPE, draggedIds, setDraggedIds } from "@/lib/gallery-drag";
import { parseGalleryFilter } from "@/lib/gallery-filter";
import { wireFilter } from "@/lib/gallery-query";
import { type GallerySelection, NO_SELECTION, toggleSelection } from "@/lib/gallery-selection";

const order = ["a", "b", "c", "d", "e", "f"];
const ids = (s: GallerySelection) => [...s.ids].sort();

describe("gallery selection", () => {
  it("ticks and unticks one tile", () => {
    const one = toggleSelection(NO_SELECTION, order, null, "c", false);
    expect(ids(one)).toEqual(["c"]);
    expect(ids(toggleSelection(one, order, "c", "c", false))).toEqual([]);
  });

  it("shift-click selects the range from the last tick, in either direction", () => {
    const first = toggleSelection(NO_SELECTION, order, null, "b", false);
    expect(ids(toggleSelection(first, order, "b", "e", true))).toEqual(["b", "c", "d", "e"]);
    const up = toggleSelection(toggleSelection(NO_SELECTION, order, null, "e", false), order, "e", "c", true);
    expect(ids(up)).toEqual(["c", "d", "e"]);
  });

  it("shift-click on a ticked tile unticks the range", () => {
    const all: GallerySelection = { ids: new Set(order), all: null };
    expect(ids(toggleSelection(all, order, "b", "d", true))).toEqual(["a", "e", "f"]);
  });

  it("shift-click with no earlier tick ticks just the one", () => {
    expect(ids(toggleSelection(NO_SELECTION, order, null, "d", true))).toEqual(["d"]);
  });

  it("unticking in 'all matching' leaves the loaded tiles but that one", () => {
    const everything: GallerySelection = { ids: new Set(), all: { count: 500 } };
    const next = toggleSelection(everything, order, null, "a", false);
    expect(next.all).toBeNull();
    expect(ids(next)).toEqual(["b", "c", "d", "e", "f"]);
  });
});

describe("bulk target", () => {
  it("carries the gallery's filter to the server as the gallery URL reads it", () => {
    const filter = parseGalleryFilter({ kind: "edit", favorite: "1", q: "harbour 50%" });
    const parsed = bulkTargetSchema.parse({ all: true, filter: wireFilter(filter) });
    expect(parsed.filter).toEqual(filter);
  });

  it("takes up to the limit of ids and refuses one more", () => {
    const many = Array.from({ length: BULK_IDS_MAX }, (_, i) => `g${i}`);
    expect(bulkTargetSchema.safeParse({ ids: many }).success).toBe(true);
    expect(bulkTargetSchema.safeParse({ ids: [...many, "x"] }).success).toBe(false);
  });

  it("says what a bulk delete did in one sentence", () => {
    expect(bulkDeleteMessage({ deleted: 120, kept: 3, running: 0, ignored: 0 })).toBe(
      "Deleted 120 images; 3 kept because other images use them.",
    );
    expect(bulkDeleteMessage({ deleted: 1, kept: 1, running: 0, ignored: 0 })).toBe(
      "Deleted 1 image; 1 kept because other images use it.",
    );
  });
});

describe("dragging tiles onto a collection", () => {
  const transfer = () => {
    const store = new Map<string, string>();
    return {
      setData: (type: string, value: string) => void store.set(type, value),
      getData: (type: string) => store.get(type) ?? "",
      effectAllowed: "none",
    } as unknown as DataTransfer;
  };

  it("carries the dragged ids in a type of its own", () => {
    const data = transfer();
    setDraggedIds(data, ["a", "b"]);
    expect(draggedIds(data)).toEqual(["a", "b"]);
  });

  it("reads nothing from a drop of something else or of garbage", () => {
    const other = transfer();
    other.setData("text/uri-list", "https://example.com");
    expect(draggedIds(other)).toEqual([]);
    const garbage = transfer();
    garbage.setData(DRAG_TYPE, "{not json");
    expect(draggedIds(garbage)).toEqual([]);
    const wrongShape = transfer();
    wrongShape.setData(DRAG_TYPE, JSON.stringify([1, "c", null]));
    expect(draggedIds(wrongShape)).toEqual(["c"]);
  });
});
