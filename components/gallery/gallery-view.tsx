"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { ImagePlus, LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { Button, buttonClass } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useGallerySelection } from "@/hooks/use-gallery-selection";
import type { CollectionSummary } from "@/lib/collections";
import type { GenerationDto, GenerationPage } from "@/lib/dto";
import type { GalleryFilter } from "@/lib/gallery-filter";
import { galleryQuery, isFiltered, wireFilter } from "@/lib/gallery-query";
import { fetchJson } from "@/lib/query-client";
import { galleryKey } from "@/lib/query-keys";
import { countMatchingGenerations } from "@/server/actions/count-matching";

import { CollectionList } from "./collection-list";
import { GalleryFilters } from "./gallery-filters";
import { GridTile } from "./grid-tile";
import { SelectionBar } from "./selection-bar";
import { VirtualGrid } from "./virtual-grid";

const GRID_HELP =
  "Arrow keys move between images. Space selects the image in focus; Shift+Space selects every image " +
  "from the last one selected to it. Escape clears the selection.";

const sameFilter = (a: GalleryFilter, b: GalleryFilter) => galleryQuery(a) === galleryQuery(b);

/**
 * The user's images, newest first. Pages load as the end of the grid scrolls into view (a button
 * does the same for keyboards and old browsers); filters live in the URL.
 */
export function GalleryView({
  initialFilter,
  initialPage,
  collections,
}: {
  initialFilter: GalleryFilter;
  initialPage: GenerationPage;
  collections: CollectionSummary[];
}) {
  const [filter, setFilter] = useState(initialFilter);
  const [resets, setResets] = useState(0);
  const sentinel = useRef<HTMLDivElement>(null);

  const changeFilter = useCallback((next: GalleryFilter) => {
    setFilter(next);
    const query = galleryQuery(next);
    // A replaced history entry: no server round trip, and Back still leaves the gallery.
    window.history.replaceState(null, "", query ? `/gallery?${query}` : "/gallery");
  }, []);

  const openCollection = useCallback(
    (collection: string | undefined) => changeFilter({ ...filter, collection }),
    [changeFilter, filter],
  );

  const query = useInfiniteQuery({
    queryKey: galleryKey(filter),
    queryFn: ({ pageParam, signal }) =>
      fetchJson<GenerationPage>(
        `/api/generations?${galleryQuery(filter, { cursor: pageParam ?? undefined })}`,
        {
          signal,
        },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: sameFilter(filter, initialFilter) ? { pages: [initialPage], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
  });
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage, isPlaceholderData, isError, error } = query;
  // Rebuilt when a page arrives, not on every render: at 10,000 images these are long arrays.
  const items = useMemo(() => data?.pages.flatMap((page) => page.items) ?? [], [data]);
  const order = useMemo(() => items.map((g) => g.id), [items]);
  const selected = useGallerySelection(order, filter);

  async function selectAllMatching() {
    const result = await countMatchingGenerations(wireFilter(filter)).catch(() => null);
    if (result?.ok) selected.selectAll(result.data);
  }

  function onTileKey(event: React.KeyboardEvent<HTMLUListElement>, g: GenerationDto) {
    // On the tile itself; the checkbox takes Space as any checkbox does.
    const onTile = (event.target as HTMLElement).dataset.testid === "gallery-item";
    if (onTile && event.key === " ") {
      event.preventDefault();
      selected.toggle(g.id, event.shiftKey);
    }
  }

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "800px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const filtered = isFiltered(filter);
  return (
    <div className="flex flex-col gap-5">
      <CollectionList collections={collections} active={filter.collection} onOpen={openCollection} />
      <GalleryFilters key={resets} filter={filter} onChange={changeFilter} />
      <p className="text-muted text-sm" role="status" aria-live="polite">
        {isPlaceholderData
          ? "Searching…"
          : items.length === 0
            ? ""
            : `${items.length}${hasNextPage ? "+" : ""} ${items.length === 1 ? "image" : "images"}${filtered ? " match" : ""}`}
      </p>
      {isError ? <FormAlert>{error.message}</FormAlert> : null}
      {items.length === 0 && data ? (
        filtered ? (
          <div className="border-border flex flex-col items-center gap-3 rounded-2xl border border-dashed px-6 py-14 text-center">
            <p className="font-medium">Nothing matches these filters</p>
            <Button
              variant="secondary"
              onClick={() => {
                setResets((n) => n + 1);
                changeFilter({});
              }}
            >
              Clear filters
            </Button>
          </div>
        ) : (
          <div className="border-border flex flex-col items-center gap-4 rounded-2xl border border-dashed px-6 py-16 text-center">
            <ImagePlus className="text-muted size-8" aria-hidden />
            <p className="text-lg font-medium">Nothing here yet</p>
            <p className="text-muted max-w-sm">Your images will appear here as soon as you make them.</p>
            <Link href="/create" className={buttonClass("primary")}>
              Create your first image
            </Link>
          </div>
        )
      ) : (
        <VirtualGrid
          items={items}
          className={`grid grid-cols-2 gap-2 sm:grid-cols-3 sm:gap-3 lg:grid-cols-4 ${isPlaceholderData ? "opacity-60" : ""}`}
          busy={isPlaceholderData || isFetchingNextPage}
          help={GRID_HELP}
          onTileKey={onTileKey}
          renderItem={(g, index, place) => (
            <GridTile
              key={g.id}
              generation={g}
              index={index}
              setSize={hasNextPage ? -1 : items.length}
              x={place.x}
              y={place.y}
              size={place.size}
              checked={selected.isSelected(g.id)}
              ticksShown={selected.count > 0}
              onToggle={selected.toggle}
              draggedIds={selected.draggedIds}
            />
          )}
        />
      )}
      {selected.count > 0 ? (
        <SelectionBar
          count={selected.count}
          allMatching={selected.selection.all !== null}
          target={selected.target}
          collections={collections}
          openCollection={collections.find((c) => c.id === filter.collection)}
          onSelectAll={selected.selection.all ? undefined : () => void selectAllMatching()}
          onClear={selected.clear}
        />
      ) : null}
      <div ref={sentinel} aria-hidden className="h-px" />
      {hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? (
              <LoaderCircle className="size-4 motion-safe:animate-spin" aria-hidden />
            ) : null}
            {isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
