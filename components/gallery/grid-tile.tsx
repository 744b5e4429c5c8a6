"use client";

import { memo } from "react";

import type { GenerationDto } from "@/lib/dto";
import { setDraggedIds } from "@/lib/gallery-drag";

import { GalleryTile } from "./gallery-tile";
import { TileCheckbox } from "./tile-checkbox";
import { tileStyle } from "./virtual-grid";

/**
 * One drawn cell of the gallery grid: the tile, its tick, and what dragging it carries. Memoized on
 * plain values and stable callbacks, so a scroll renders only the tiles that come into the grid and a
 * tick re-renders only its own tile (and, for the first or last tick, the others' visible boxes).
 */
export const GridTile = memo(function GridTile({
  generation,
  index,
  setSize,
  x,
  y,
  size,
  checked,
  ticksShown,
  onToggle,
  draggedIds,
}: {
  generation: GenerationDto;
  index: number;
  /** The number of tiles, or -1 while more pages may come. */
  setSize: number;
  x: number;
  y: number;
  size: number;
  checked: boolean;
  /** Every tile shows its tick once one is ticked. */
  ticksShown: boolean;
  onToggle: (id: string, extend: boolean) => void;
  draggedIds: (id: string) => string[];
}) {
  return (
    <li
      style={tileStyle({ x, y, size })}
      data-index={index}
      data-generation-id={generation.id}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      onDragStart={(event) => setDraggedIds(event.dataTransfer, draggedIds(generation.id))}
      className={`group/tile rounded-xl ${checked ? "ring-accent ring-2 ring-offset-2" : ""}`}
    >
      <GalleryTile generation={generation} />
      <TileCheckbox
        prompt={generation.prompt}
        checked={checked}
        visible={ticksShown}
        onToggle={(extend) => onToggle(generation.id, extend)}
      />
    </li>
  );
});
