"use client";

import { ImagePlus, X } from "lucide-react";

import { FilePicker } from "@/components/editor/file-picker";
import { UploadProgress } from "@/components/editor/upload-progress";
import type { UploadItem } from "@/hooks/use-uploads";

/** The remix references as removable chips with thumbnails, and a tile to add more. */
export function ReferenceChips({
  items,
  max,
  onFiles,
  onRemove,
}: {
  items: UploadItem[];
  max: number;
  onFiles: (files: File[]) => void;
  onRemove: (key: string) => void;
}) {
  return (
    <ul className="grid grid-cols-4 gap-2" data-testid="references">
      {items.map((item, index) => {
        const src = item.asset?.thumbUrl ?? item.preview;
        return (
          <li
            key={item.key}
            data-testid="reference"
            data-status={item.status}
            className="border-border bg-surface-2 relative aspect-square overflow-hidden rounded-lg border"
            title={item.error ?? item.name}
          >
            {src ? (
              // eslint-disable-next-line @next/next/no-img-element -- a local preview or our own media route
              <img src={src} alt={`Reference ${index + 1}`} className="size-full object-cover" />
            ) : null}
            {item.status === "uploading" ? (
              <UploadProgress value={item.progress} label={`Uploading reference ${index + 1}`} />
            ) : null}
            {item.status === "error" ? (
              <span className="bg-danger/85 absolute inset-x-0 bottom-0 px-1 py-0.5 text-center text-[10px] leading-tight text-white">
                Failed
              </span>
            ) : null}
            <button
              type="button"
              onClick={() => onRemove(item.key)}
              aria-label={`Remove reference ${index + 1}`}
              className="absolute top-1 right-1 flex size-6 items-center justify-center rounded-full bg-black/65 text-white hover:bg-black/80"
            >
              <X className="size-3.5" aria-hidden />
            </button>
          </li>
        );
      })}
      {items.length < max ? (
        <li className="aspect-square">
          <FilePicker
            label="Add reference images"
            multiple
            onFiles={onFiles}
            className="border-border text-muted hover:text-fg hover:bg-surface-2 flex size-full flex-col items-center justify-center gap-1 rounded-lg border-2 border-dashed text-xs font-medium"
          >
            <ImagePlus className="size-5" aria-hidden />
            Add
          </FilePicker>
        </li>
      ) : null}
    </ul>
  );
}
