"use client";

import { useId, useState } from "react";

import type { AssetDto } from "@/lib/dto";
import { thumbhashDataUrl } from "@/lib/thumbhash-placeholder";

/**
 * Before and after in one frame. A native range input lies over the images: dragging anywhere or
 * using the arrow keys moves the line, and screen readers hear how much of the result is shown.
 */
export function CompareSlider({
  before,
  after,
  label = "Compare the input and the result",
  variant = "original",
}: {
  before: AssetDto;
  after: AssetDto;
  label?: string;
  variant?: "thumb" | "original";
}) {
  const [position, setPosition] = useState(50);
  const id = useId();
  const ratio = after.width && after.height ? after.width / after.height : 1;
  const src = (asset: AssetDto) => (variant === "thumb" ? asset.thumbUrl : asset.url);
  const bg = (asset: AssetDto) => {
    const url = thumbhashDataUrl(asset.thumbhash);
    return url
      ? {
          backgroundImage: `url(${url})`,
          backgroundSize: "contain",
          backgroundPosition: "center",
          backgroundRepeat: "no-repeat",
        }
      : {};
  };
  return (
    <figure className="flex flex-col gap-2" data-testid="compare-slider">
      <div
        className="bg-surface-2 has-focus-visible:outline-accent relative w-full overflow-hidden rounded-xl select-none has-focus-visible:outline-2 has-focus-visible:outline-offset-2"
        style={{ aspectRatio: String(ratio) }}
      >
        {/* eslint-disable-next-line @next/next/no-img-element -- our own media route */}
        <img
          src={src(after)}
          alt="Result"
          width={after.width || undefined}
          height={after.height || undefined}
          className="absolute inset-0 size-full object-contain"
          style={bg(after)}
          draggable={false}
        />
        <div
          className="absolute inset-0"
          style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }}
          data-testid="compare-before"
        >
          {/* eslint-disable-next-line @next/next/no-img-element -- our own media route */}
          <img
            src={src(before)}
            alt="Input"
            width={before.width || undefined}
            height={before.height || undefined}
            className="bg-surface-2 absolute inset-0 size-full object-contain"
            style={bg(before)}
            draggable={false}
          />
        </div>
        <div
          aria-hidden
          className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.35)]"
          style={{ left: `${position}%` }}
        >
          <span className="absolute top-1/2 left-1/2 flex size-8 -translate-x-1/2 -translate-y-1/2 items-center justify-center rounded-full bg-white text-xs font-semibold text-black shadow">
            ⇔
          </span>
        </div>
        <span
          aria-hidden
          className="pointer-events-none absolute top-2 left-2 rounded bg-black/60 px-1.5 py-0.5 text-xs text-white"
        >
          Before
        </span>
        <span
          aria-hidden
          className="pointer-events-none absolute top-2 right-2 rounded bg-black/60 px-1.5 py-0.5 text-xs text-white"
        >
          After
        </span>
        <input
          id={id}
          type="range"
          min={0}
          max={100}
          step={1}
          value={position}
          onChange={(event) => setPosition(Number(event.target.value))}
          aria-label={label}
          aria-valuetext={`${position}% input, ${100 - position}% result`}
          className="absolute inset-0 size-full cursor-ew-resize opacity-0"
        />
      </div>
      <figcaption className="text-muted text-xs">
        Drag across the image, or focus it and use the arrow keys, to compare.
      </figcaption>
    </figure>
  );
}
