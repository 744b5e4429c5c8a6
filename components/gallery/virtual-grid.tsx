"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";

import { nextTileIndex } from "./grid-keys";

/**
 * Rows drawn beyond the window on each side: one is enough for an arrow key to land on a drawn tile
 * (a key that goes further scrolls first, see focusTile). Each extra row is four more images decoded
 * and painted on every turn of a fast scroll: at four rows the scroll bench had twice the long frames.
 */
const OVERSCAN_ROWS = 1;

/** Where a tile sits in the grid, in pixels from the grid's top left, and its side. */
export interface TilePlace {
  x: number;
  y: number;
  size: number;
}

/** A drawn tile's box: absolutely placed and contained, so a tile mounting relays out only itself. */
export function tileStyle({ x, y, size }: TilePlace): React.CSSProperties {
  return {
    position: "absolute",
    top: 0,
    left: 0,
    width: size,
    height: size,
    // A tile's layout never reaches outside it: a row mounting or leaving relays out only itself.
    contain: "size layout style",
    transform: `translate(${x}px, ${y}px)`,
  };
}

interface Layout {
  columns: number;
  tile: number;
  gap: number;
  /** The grid's top in the page, where the window's scroll reaches its first row. */
  top: number;
}

/**
 * The gallery grid with only the rows near the window in the DOM. Tiles are squares as wide as a
 * column of the CSS grid (two, three or four by screen width), so every row's height is known
 * before any image arrives and nothing moves as they load. Arrow keys move between tiles, bringing
 * rows that are not drawn yet into view first.
 */
export function VirtualGrid<T extends { id: string }>({
  items,
  className,
  busy,
  label,
  help,
  onTileKey,
  renderItem,
}: {
  items: T[];
  className: string;
  busy: boolean;
  label?: string;
  /** How the keys work, read out by screen readers when they reach the grid. */
  help?: string;
  /** A key other than an arrow pressed on the tile at `index`. */
  onTileKey: (event: React.KeyboardEvent<HTMLUListElement>, item: T) => void;
  /** One tile; its place comes as numbers so a memoized tile can compare them. */
  renderItem: (item: T, index: number, place: TilePlace) => React.ReactNode;
}) {
  const grid = useRef<HTMLUListElement>(null);
  const helpId = useId();
  const [layout, setLayout] = useState<Layout>({ columns: 4, tile: 0, gap: 0, top: 0 });
  const [pendingFocus, setPendingFocus] = useState<number>();

  useLayoutEffect(() => {
    const element = grid.current;
    if (!element) return;
    const measure = () => {
      const style = getComputedStyle(element);
      const tracks = style.gridTemplateColumns.split(" ").filter(Boolean);
      const next: Layout = {
        columns: Math.max(1, tracks.length),
        tile: parseFloat(tracks[0] ?? "0") || 0,
        gap: parseFloat(style.rowGap) || 0,
        top: element.getBoundingClientRect().top + window.scrollY,
      };
      setLayout((current) =>
        current.columns === next.columns &&
        current.tile === next.tile &&
        current.gap === next.gap &&
        current.top === next.top
          ? current
          : next,
      );
    };
    measure();
    // The grid's width follows the window; its top moves when filters or collections above change.
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const rows = Math.ceil(items.length / layout.columns);
  const rowSize = layout.tile + layout.gap;
  const virtualizer = useWindowVirtualizer({
    count: layout.tile > 0 ? rows : 0,
    estimateSize: () => rowSize,
    overscan: OVERSCAN_ROWS,
    scrollMargin: layout.top,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, rowSize]);
  const drawn = virtualizer.getVirtualItems();
  const drawnRows = `${drawn[0]?.index ?? -1}:${drawn.at(-1)?.index ?? -1}`;

  const focusTile = (index: number) => {
    const tile = grid.current?.querySelector<HTMLElement>(
      `li[data-index="${index}"] [data-testid=gallery-item]`,
    );
    if (tile) {
      tile.focus();
      return;
    }
    virtualizer.scrollToIndex(Math.floor(index / layout.columns), { align: "auto" });
    setPendingFocus(index);
  };
  useEffect(() => {
    if (pendingFocus === undefined) return;
    const tile = grid.current?.querySelector<HTMLElement>(
      `li[data-index="${pendingFocus}"] [data-testid=gallery-item]`,
    );
    if (!tile) return;
    tile.focus();
    setPendingFocus(undefined);
  }, [pendingFocus, drawnRows]);

  function onKeyDown(event: React.KeyboardEvent<HTMLUListElement>) {
    const tile = (event.target as HTMLElement).closest<HTMLElement>("li[data-index]");
    if (!tile) return;
    const index = Number(tile.dataset.index);
    const next = nextTileIndex(event.key, index, layout.columns, items.length);
    if (next === undefined) {
      const item = items[index];
      if (item) onTileKey(event, item);
      return;
    }
    event.preventDefault();
    if (next !== null) focusTile(next);
  }

  return (
    <>
      {help ? (
        <p id={helpId} className="sr-only">
          {help}
        </p>
      ) : null}
      <ul
        ref={grid}
        className={`relative ${className}`}
        style={{ height: rows > 0 ? rows * rowSize - layout.gap : 0 }}
        data-testid="gallery-grid"
        data-columns={layout.columns}
        aria-label={label}
        aria-busy={busy}
        aria-describedby={help ? helpId : undefined}
        aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Space Shift+Space Escape"
        onKeyDown={onKeyDown}
      >
        {drawn.flatMap((row) =>
          items.slice(row.index * layout.columns, (row.index + 1) * layout.columns).map((item, column) => {
            const index = row.index * layout.columns + column;
            return renderItem(item, index, {
              x: column * rowSize,
              y: row.start - layout.top,
              size: layout.tile,
            });
          }),
        )}
      </ul>
    </>
  );
}
