"use client";

import { Heart } from "lucide-react";
import Link from "next/link";

import { ElapsedTime } from "@/components/jobs/elapsed-time";
import { CostText } from "@/components/jobs/job-meta";
import { StatusBadge } from "@/components/jobs/status-badge";
import { AssetImage } from "@/components/ui/asset-image";
import { isTerminal } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";
import { useGeneration } from "@/hooks/use-generation";

const KIND_LABELS = { create: "Created", edit: "Edit", remix: "Remix" } as const;

/**
 * One square of the gallery: the image, or a card saying where the job stands. Tiles do not
 * prefetch their page: a scroll through a large gallery would otherwise ask the server for every
 * image page that passes by, on the same main thread that draws the rows.
 */
export function GalleryTile({ generation }: { generation: GenerationDto }) {
  const output = generation.outputs[0];
  if (generation.status === "succeeded" && output) {
    return (
      <Link
        href={`/gallery/${generation.id}`}
        prefetch={false}
        data-testid="gallery-item"
        data-status="succeeded"
        className="group bg-surface-2 relative block aspect-square overflow-hidden rounded-xl"
      >
        <AssetImage
          asset={output}
          alt={generation.prompt}
          className="size-full transition group-hover:scale-[1.02]"
        />
        <span className="pointer-events-none absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/70 to-transparent p-2 pt-8 text-xs text-white opacity-0 transition group-hover:opacity-100 group-focus-visible:opacity-100">
          <span className="line-clamp-2">{generation.prompt}</span>
        </span>
        {generation.favorite ? (
          <span className="absolute top-2 right-2 rounded-full bg-black/55 p-1 text-white" title="Favorite">
            <Heart className="size-3.5 fill-current" aria-hidden />
            <span className="sr-only">Favorite</span>
          </span>
        ) : null}
        {generation.kind !== "create" ? (
          <span className="absolute top-2 left-2 rounded bg-black/55 px-1.5 py-0.5 text-[11px] font-medium text-white">
            {KIND_LABELS[generation.kind]}
          </span>
        ) : null}
      </Link>
    );
  }
  return isTerminal(generation.status) ? (
    <StateTile generation={generation} />
  ) : (
    <LiveTile initial={generation} />
  );
}

/** A running job keeps polling here too, and becomes an image when it lands. */
function LiveTile({ initial }: { initial: GenerationDto }) {
  const { data, dataUpdatedAt } = useGeneration(initial.id, initial);
  const g = data ?? initial;
  if (g.status === "succeeded" && g.outputs[0]) return <GalleryTile generation={g} />;
  return <StateTile generation={g} measuredAt={dataUpdatedAt} />;
}

function StateTile({ generation: g, measuredAt = 0 }: { generation: GenerationDto; measuredAt?: number }) {
  return (
    <Link
      href={`/gallery/${g.id}`}
      prefetch={false}
      data-testid="gallery-item"
      data-status={g.status}
      className={`border-border relative flex aspect-square flex-col gap-2 overflow-hidden rounded-xl border p-3 text-sm ${g.status === "failed" ? "bg-danger/5" : "bg-surface-2"}`}
    >
      {g.status === "failed" ? null : (
        <span aria-hidden className="bg-border/40 absolute inset-0 -z-0 motion-safe:animate-pulse" />
      )}
      <span className="relative flex items-center justify-between gap-2 text-xs">
        <StatusBadge status={g.status} />
        <span className="text-muted">
          <ElapsedTime status={g.status} elapsedMs={g.elapsedMs} measuredAt={measuredAt} />
        </span>
      </span>
      <span className="relative line-clamp-3 font-medium">{g.prompt}</span>
      {g.status === "failed" ? (
        <span className="text-danger relative mt-auto line-clamp-3 text-xs">
          {g.errorMessage ?? "The job failed."} <CostText generation={g} />
        </span>
      ) : null}
    </Link>
  );
}
