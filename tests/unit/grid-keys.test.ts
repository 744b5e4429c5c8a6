import { describe, expect, it } from "vitest";

import { nextTileIndex } from "@/components/gallery/grid-keys";

describe("arrow keys in the virtualized gallery grid", () => {
  it("move by one sideways and by a row up and down, by index, whether or not the row is drawn", () => {
    // 10,000 tiles in four columns: from tile 41 (row 10, column 1).
    expect(nextTileIndex("ArrowRight", 41, 4, 10_000)).toBe(42);
    expect(nextTileIndex("ArrowLeft", 41, 4, 10_000)).toBe(40);
    expect(nextTileIndex("ArrowDown", 41, 4, 10_000)).toBe(45);
    expect(nextTileIndex("ArrowUp", 41, 4, 10_000)).toBe(37);
    expect(nextTileIndex("ArrowDown", 41, 2, 10_000)).toBe(43);
  });

  it("stay put at the grid's edges and leave other keys to the tile", () => {
    expect(nextTileIndex("ArrowLeft", 0, 4, 10)).toBeNull();
    expect(nextTileIndex("ArrowUp", 2, 4, 10)).toBeNull();
    expect(nextTileIndex("ArrowRight", 9, 4, 10)).toBeNull();
    expect(nextTileIndex("ArrowDown", 7, 4, 10)).toBeNull();
    expect(nextTileIndex(" ", 3, 4, 10)).toBeUndefined();
    expect(nextTileIndex("Escape", 3, 4, 10)).toBeUndefined();
  });
});
