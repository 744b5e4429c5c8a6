import { CircleX, ImageOff } from "lucide-react";

import { AssetImage } from "@/components/ui/asset-image";
import type { GenerationDto } from "@/lib/dto";
import { ratioValue } from "@/lib/format";

/** Width / height of the box a job's image will fill, known before the image exists. */
export function previewRatio(g: GenerationDto): number {
  const output = g.outputs[0];
  if (output?.width && output.height) return output.width / output.height;
  if (g.aspectRatio) return ratioValue(g.aspectRatio);
  const input = g.inputs[0];
  if (g.kind === "edit" && input?.width && input.height) return input.width / input.height;
  return 1;
}

/** The image of a job, or the box it will appear in: the same size either way, so nothing jumps. */
export function JobPreview({
  generation: g,
  variant = "thumb",
  className = "",
}: {
  generation: GenerationDto;
  variant?: "thumb" | "original";
  className?: string;
}) {
  const output = g.outputs[0];
  const ratio = previewRatio(g);
  return (
    <div
      className={`bg-surface-2 relative w-full overflow-hidden ${className}`}
      style={{ aspectRatio: String(ratio) }}
    >
      {output ? (
        <AssetImage
          asset={output}
          variant={variant}
          alt={g.prompt}
          fit="contain"
          className="absolute inset-0 size-full"
        />
      ) : g.status === "succeeded" ? (
        <div className="text-muted absolute inset-0 flex flex-col items-center justify-center gap-2 text-sm">
          <ImageOff className="size-6" aria-hidden /> No image came back
        </div>
      ) : g.status === "failed" ? (
        <div className="text-danger absolute inset-0 flex items-center justify-center">
          <CircleX className="size-8 opacity-60" aria-hidden />
        </div>
      ) : (
        <div aria-hidden className="bg-border/60 absolute inset-0 motion-safe:animate-pulse" />
      )}
    </div>
  );
}
