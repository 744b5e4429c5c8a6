"use client";

import { Heart, Search, X } from "lucide-react";
import { memo, useEffect, useState } from "react";

import { GALLERY_QUERY_MAX, type GenerationStatus, type Operation } from "@/lib/domain";
import type { GalleryFilter } from "@/lib/gallery-filter";
import { useHydrated } from "@/hooks/use-hydrated";

const SEARCH_DEBOUNCE_MS = 300;
const control = "border-border bg-surface text-fg h-10 rounded-lg border px-3 text-sm";

/**
 * Search (debounced), kind, status and favorites; each change is one new filter. Memoized: a page of
 * the gallery arriving re-renders the view, not its filters.
 */
export const GalleryFilters = memo(function GalleryFilters({
  filter,
  onChange,
}: {
  filter: GalleryFilter;
  onChange: (filter: GalleryFilter) => void;
}) {
  const [text, setText] = useState(filter.q ?? "");
  // The filters work through JavaScript only; until it runs they stay off rather than do nothing.
  const disabled = !useHydrated();

  useEffect(() => {
    const q = text.trim();
    if (q === (filter.q ?? "")) return;
    const timer = setTimeout(() => onChange({ ...filter, q: q || undefined }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filter, onChange]);

  return (
    <div role="search" className="flex flex-wrap items-center gap-2">
      <div className="relative min-w-0 flex-1 basis-56">
        <Search
          className="text-muted pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2"
          aria-hidden
        />
        <label htmlFor="gallery-search" className="sr-only">
          Search prompts
        </label>
        <input
          id="gallery-search"
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="Search prompts"
          maxLength={GALLERY_QUERY_MAX}
          disabled={disabled}
          className={`${control} w-full pr-9 pl-9`}
        />
        {text ? (
          <button
            type="button"
            onClick={() => setText("")}
            aria-label="Clear the search"
            className="text-muted hover:text-fg absolute top-1/2 right-2 flex size-6 -translate-y-1/2 items-center justify-center rounded"
          >
            <X className="size-4" aria-hidden />
          </button>
        ) : null}
      </div>
      <label htmlFor="gallery-kind" className="sr-only">
        Kind
      </label>
      <select
        id="gallery-kind"
        value={filter.kind ?? ""}
        onChange={(event) =>
          onChange({ ...filter, kind: (event.target.value || undefined) as Operation | undefined })
        }
        disabled={disabled}
        className={control}
      >
        <option value="">All kinds</option>
        <option value="create">Created</option>
        <option value="edit">Edits</option>
        <option value="remix">Remixes</option>
      </select>
      <label htmlFor="gallery-status" className="sr-only">
        Status
      </label>
      <select
        id="gallery-status"
        value={filter.status ?? ""}
        onChange={(event) =>
          onChange({ ...filter, status: (event.target.value || undefined) as GenerationStatus | undefined })
        }
        disabled={disabled}
        className={control}
      >
        <option value="">Any status</option>
        <option value="succeeded">Succeeded</option>
        <option value="processing">Processing</option>
        <option value="queued">Queued</option>
        <option value="failed">Failed</option>
      </select>
      <button
        type="button"
        aria-pressed={Boolean(filter.favorite)}
        disabled={disabled}
        onClick={() => onChange({ ...filter, favorite: filter.favorite ? undefined : true })}
        className={`${control} aria-pressed:border-accent aria-pressed:text-accent hover:bg-surface-2 inline-flex items-center gap-2 font-medium`}
      >
        <Heart className={`size-4 ${filter.favorite ? "fill-current" : ""}`} aria-hidden />
        Favorites
      </button>
    </div>
  );
});
