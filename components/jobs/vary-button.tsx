"use client";

import { Shuffle } from "lucide-react";
import { toast } from "sonner";

import { buttonClass } from "@/components/ui/button";
import type { GenerationDto } from "@/lib/dto";
import { useHydrated } from "@/hooks/use-hydrated";
import { type JobDraft, useSubmitJob } from "@/hooks/use-submit-job";
import { varyImage } from "@/server/actions/vary-image";

/** What a variation's card shows before the server answers: the same settings, a seed to come. */
export function variationDraft(g: GenerationDto): JobDraft {
  return {
    prompt: g.prompt,
    negativePrompt: g.negativePrompt,
    aspectRatio: g.aspectRatio,
    seed: null,
    requestedProvider: g.requestedProvider,
    cost: g.cost,
    parentId: g.id,
    inputs: g.inputs,
  };
}

/**
 * "Vary": the same prompt and settings with a new seed, as a new job through the one submit flow
 * (its card appears among the recent jobs of its kind). `onVaried` receives the accepted job.
 */
export function VaryButton({
  generation: g,
  onVaried,
  size = "regular",
}: {
  generation: GenerationDto;
  onVaried?: (job: GenerationDto) => void;
  size?: "regular" | "small";
}) {
  const { submit, submitting } = useSubmitJob(g.kind);
  const hydrated = useHydrated();

  async function vary() {
    const outcome = await submit(variationDraft(g), () => varyImage({ id: g.id }));
    if (!outcome.ok) {
      toast.error(outcome.message);
      return;
    }
    onVaried?.(outcome.generation);
  }

  return (
    <button
      type="button"
      onClick={vary}
      disabled={!hydrated || submitting}
      title="The same prompt and settings with a new seed"
      className={
        size === "small"
          ? "text-accent inline-flex items-center gap-1 text-sm font-medium underline-offset-4 hover:underline disabled:opacity-50"
          : buttonClass("secondary")
      }
    >
      <Shuffle className="size-4" aria-hidden /> {submitting ? "Varying…" : "Vary"}
    </button>
  );
}
