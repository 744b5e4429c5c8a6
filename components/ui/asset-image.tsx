"use client";

import { useCallback, useState } from "react";

import type { AssetDto } from "@/lib/dto";
import { thumbhashDataUrl } from "@/lib/thumbhash-placeholder";

/**
 * A stored image as a plain <img>: width and height from the asset reserve its box before a byte
 * arrives, and the ThumbHash paints a blurred preview underneath until it does. Once the image has
 * loaded the preview is dropped: hidden under an opaque image it would still be painted, scaled up,
 * on every tile of a scrolling gallery (half the long frames of the gallery scroll bench).
 */
export function AssetImage({
  asset,
  alt,
  variant = "thumb",
  fit = "cover",
  className = "",
  priority = false,
}: {
  asset: Pick<AssetDto, "url" | "thumbUrl" | "width" | "height" | "thumbhash">;
  alt: string;
  variant?: "thumb" | "original";
  fit?: "cover" | "contain";
  className?: string;
  priority?: boolean;
}) {
  const src = variant === "thumb" ? asset.thumbUrl : asset.url;
  const [loadedSrc, setLoadedSrc] = useState<string>();
  // An image that finished before hydration fires no load event React sees: ask it on mount.
  const seeIfLoaded = useCallback(
    (img: HTMLImageElement | null) => {
      if (img?.complete && img.naturalWidth > 0) setLoadedSrc(src);
    },
    [src],
  );
  const placeholder = loadedSrc === src ? undefined : thumbhashDataUrl(asset.thumbhash);
  return (
    // eslint-disable-next-line @next/next/no-img-element -- our own media route serves sized images already
    <img
      ref={seeIfLoaded}
      src={src}
      alt={alt}
      width={asset.width || undefined}
      height={asset.height || undefined}
      loading={priority ? "eager" : "lazy"}
      decoding="async"
      draggable={false}
      onLoad={() => setLoadedSrc(src)}
      className={`${fit === "cover" ? "object-cover" : "object-contain"} ${className}`}
      style={
        placeholder
          ? {
              backgroundImage: `url(${placeholder})`,
              backgroundSize: fit,
              backgroundPosition: "center",
              backgroundRepeat: "no-repeat",
            }
          : undefined
      }
    />
  );
}
