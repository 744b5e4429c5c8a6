"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, useState } from "react";

import { nextTileIndex } from "./grid-keys";

/** Rows drawn beyond the window on each side: enough that arrow keys always land on a drawn tile. */
const OVERSCAN_ROWS = 4;

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
  onTileKey,
  renderItem,
}: {
  items: T[];
  className: string;
  busy: boolean;
  label?: string;
  /** A key other than an arrow pressed on the tile at `index`. */
  onTileKey: (event: React.KeyboardEvent<HTMLUListElement>, item: T) => void;
  renderItem: (item: T, index: number, style: React.CSSProperties) => React.ReactNode;
}) {
  const grid = useRef<HTMLUListElement>(null);
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
    <ul
      ref={grid}
      className={`relative ${className}`}
      style={{ height: rows > 0 ? rows * rowSize - layout.gap : 0 }}
      data-testid="gallery-grid"
      data-columns={layout.columns}
      aria-label={label}
      aria-busy={busy}
      aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Space Escape"
      onKeyDown={onKeyDown}
    >
      {drawn.flatMap((row) =>
        items.slice(row.index * layout.columns, (row.index + 1) * layout.columns).map((item, column) => {
          const index = row.index * layout.columns + column;
          return renderItem(item, index, {
            position: "absolute",
            top: 0,
            left: 0,
            width: layout.tile,
            height: layout.tile,
            // A tile's layout never reaches outside it: a row mounting or leaving relays out only itself.
            contain: "size layout style",
            transform: `translate(${column * rowSize}px, ${row.start - layout.top}px)`,
          });
        }),
      )}
    </ul>
  );
}
