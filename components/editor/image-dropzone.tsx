"use client";

import { ImagePlus, X } from "lucide-react";
import { useState } from "react";

import { FormAlert } from "@/components/ui/form-alert";
import { formatBytes } from "@/lib/format";

import { FilePicker } from "./file-picker";
import { UploadProgress } from "./upload-progress";
import type { UploadItem } from "@/hooks/use-uploads";

const pickerButton =
  "border-border bg-surface hover:bg-surface-2 inline-flex h-9 items-center gap-2 rounded-lg border px-3 text-sm font-medium";

/** The one input image of an edit: where to drop, paste or pick it, then its preview. */
export function ImageDropzone({
  item,
  onFiles,
  onRemove,
  maxBytes,
}: {
  item: UploadItem | undefined;
  onFiles: (files: File[]) => void;
  onRemove: () => void;
  maxBytes: number;
}) {
  if (!item) {
    return (
      <div className="border-border bg-surface-2/50 flex flex-col items-center gap-3 rounded-xl border-2 border-dashed px-4 py-10 text-center">
        <ImagePlus className="text-muted size-8" aria-hidden />
        <p className="text-sm font-medium">Drop an image anywhere, paste it, or choose a file</p>
        <FilePicker label="Choose an image" onFiles={onFiles} className={pickerButton} />
        <p className="text-muted text-xs">JPEG, PNG or WebP, up to {formatBytes(maxBytes)}</p>
      </div>
    );
  }
  return <Preview item={item} onFiles={onFiles} onRemove={onRemove} />;
}

function Preview({
  item,
  onFiles,
  onRemove,
}: {
  item: UploadItem;
  onFiles: (files: File[]) => void;
  onRemove: () => void;
}) {
  // A local preview's size is only known once it loads; the stored asset knows it at once.
  const [natural, setNatural] = useState<number>();
  const src = item.asset?.url ?? item.preview;
  const ratio =
    item.asset?.width && item.asset.height ? item.asset.width / item.asset.height : (natural ?? 4 / 3);
  return (
    <div className="flex flex-col gap-2" data-testid="input-image" data-status={item.status}>
      <div
        className="bg-surface-2 relative w-full overflow-hidden rounded-xl"
        style={{ aspectRatio: String(ratio) }}
      >
        {src ? (
          // eslint-disable-next-line @next/next/no-img-element -- a local preview or our own media route
          <img
            src={src}
            alt="The image to edit"
            className="absolute inset-0 size-full object-contain"
            onLoad={(event) => {
              const img = event.currentTarget;
              if (img.naturalWidth && img.naturalHeight) setNatural(img.naturalWidth / img.naturalHeight);
            }}
          />
        ) : null}
        {item.status === "uploading" ? (
          <UploadProgress value={item.progress} label="Uploading the image" />
        ) : null}
      </div>
      {item.status === "error" ? <FormAlert data-testid="upload-error">{item.error}</FormAlert> : null}
      <div className="flex flex-wrap items-center gap-2">
        <FilePicker label="Choose another image" onFiles={onFiles} className={pickerButton} />
        <button type="button" onClick={onRemove} className={pickerButton}>
          <X className="size-4" aria-hidden /> Remove
        </button>
        <span className="text-muted ml-auto text-xs" role="status">
          {item.status === "uploading"
            ? `Uploading… ${Math.round(item.progress * 100)}%`
            : item.status === "ready"
              ? item.asset && item.asset.width
                ? `${item.asset.width} × ${item.asset.height}`
                : "Ready"
              : ""}
        </span>
      </div>
    </div>
  );
}
