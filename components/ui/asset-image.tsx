import type { AssetDto } from "@/lib/dto";
import { thumbhashDataUrl } from "@/lib/thumbhash-placeholder";

/**
 * A stored image as a plain <img>: width and height from the asset reserve its box before a byte
 * arrives, and the ThumbHash paints a blurred preview underneath until it does.
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
  const placeholder = thumbhashDataUrl(asset.thumbhash);
  return (
    // eslint-disable-next-line @next/next/no-img-element -- our own media route serves sized images already
    <img
      src={variant === "thumb" ? asset.thumbUrl : asset.url}
      alt={alt}
      width={asset.width || undefined}
      height={asset.height || undefined}
      loading={priority ? "eager" : "lazy"}
      decoding="async"
      draggable={false}
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
