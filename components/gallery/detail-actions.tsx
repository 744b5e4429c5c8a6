"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Blend, Copy, Download, Heart, Pencil, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { ShareDialog } from "@/components/share/share-dialog";
import { VaryButton } from "@/components/jobs/vary-button";
import { buttonClass } from "@/components/ui/button";
import { isTerminal } from "@/lib/domain";
import type { CollectionSummary } from "@/lib/collections";
import type { GenerationDto } from "@/lib/dto";
import { GENERATIONS_KEY, generationKey } from "@/lib/query-keys";
import { useHydrated } from "@/hooks/use-hydrated";
import { setFavorite } from "@/server/actions/set-favorite";

import { AddToCollection } from "./add-to-collection";
import { DeleteGenerationButton } from "./delete-generation-button";

/** Where "Reuse settings" leads: the same kind of job, filled in the same way. */
export function reuseHref(g: GenerationDto): string {
  if (g.kind === "edit" && g.inputs[0]) return `/create/edit?from=${g.id}`;
  if (g.kind === "remix" && g.inputs.length > 0) return `/create/remix?from=${g.id}`;
  return `/create?from=${g.id}`;
}

export function DetailActions({
  generation: g,
  collections,
}: {
  generation: GenerationDto;
  collections: CollectionSummary[];
}) {
  const client = useQueryClient();
  const [favorite, setFavoriteState] = useState(g.favorite);
  const [saving, setSaving] = useState(false);
  const output = g.outputs[0];
  const hydrated = useHydrated();
  const router = useRouter();

  async function copyPrompt() {
    try {
      await navigator.clipboard.writeText(g.prompt);
      toast.success("Prompt copied");
    } catch {
      toast.error("The browser did not allow copying. Select the prompt and copy it by hand.");
    }
  }

  async function toggleFavorite() {
    const next = !favorite;
    setFavoriteState(next);
    setSaving(true);
    const result = await setFavorite({ id: g.id, favorite: next }).catch(() => null);
    setSaving(false);
    if (!result?.ok) {
      setFavoriteState(!next);
      toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
      return;
    }
    setFavoriteState(result.data.favorite);
    client.setQueryData<GenerationDto>(generationKey(g.id), (old) =>
      old ? { ...old, favorite: result.data.favorite } : old,
    );
    void client.invalidateQueries({ queryKey: GENERATIONS_KEY });
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        {output ? (
          <a href={output.downloadUrl} download className={buttonClass("primary")}>
            <Download className="size-4" aria-hidden /> Download
          </a>
        ) : null}
        <button
          type="button"
          onClick={toggleFavorite}
          aria-pressed={favorite}
          disabled={saving || !hydrated}
          className={buttonClass("secondary", "aria-pressed:text-accent aria-pressed:border-accent")}
        >
          <Heart className={`size-4 ${favorite ? "fill-current" : ""}`} aria-hidden />
          Favorite
        </button>
        <button type="button" onClick={copyPrompt} disabled={!hydrated} className={buttonClass("secondary")}>
          <Copy className="size-4" aria-hidden /> Copy prompt
        </button>
      </div>
      <div className="flex flex-wrap gap-2">
        <Link href={reuseHref(g)} className={buttonClass("secondary")}>
          <RotateCcw className="size-4" aria-hidden /> Reuse settings
        </Link>
        {output ? (
          <>
            <Link
              href={`/create/edit?asset=${output.id}&parent=${g.id}`}
              className={buttonClass("secondary")}
            >
              <Pencil className="size-4" aria-hidden /> Edit this
            </Link>
            <Link
              href={`/create/remix?refs=${output.id}&parent=${g.id}`}
              className={buttonClass("secondary")}
            >
              <Blend className="size-4" aria-hidden /> Remix with this
            </Link>
            <VaryButton generation={g} onVaried={(job) => router.push(`/gallery/${job.id}`)} />
          </>
        ) : null}
        {output && g.status === "succeeded" ? (
          <ShareDialog target={{ kind: "generation", id: g.id }} name={g.prompt} />
        ) : null}
        <AddToCollection collections={collections} target={{ ids: [g.id] }} />
        <DeleteGenerationButton
          id={g.id}
          disabledReason={isTerminal(g.status) ? undefined : "Wait until the job finishes to delete it."}
        />
      </div>
    </div>
  );
}
