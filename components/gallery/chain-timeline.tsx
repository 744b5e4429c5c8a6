import Link from "next/link";

import { CompareSlider } from "@/components/editor/compare-slider";
import { JobPreview } from "@/components/jobs/job-preview";
import { StatusBadge } from "@/components/jobs/status-badge";
import { AssetImage } from "@/components/ui/asset-image";
import type { GenerationDto } from "@/lib/dto";

const STEP_LABELS = { create: "Created", edit: "Edited", remix: "Remixed" } as const;

/**
 * How an image came to be, oldest first (created → edited → remixed), with a before/after slider
 * at every step that had an input.
 */
export function ChainTimeline({ chain, currentId }: { chain: GenerationDto[]; currentId: string }) {
  return (
    <section aria-labelledby="chain-heading" className="flex flex-col gap-4">
      <h2 id="chain-heading" className="text-lg font-semibold">
        History of this image
      </h2>
      <ol className="flex flex-col gap-4" data-testid="chain">
        {chain.map((step, index) => {
          const input = step.inputs[0];
          const output = step.outputs[0];
          const current = step.id === currentId;
          return (
            <li
              key={step.id}
              aria-current={current ? "step" : undefined}
              data-testid="chain-step"
              className="border-border bg-surface aria-[current=step]:border-accent relative grid gap-4 rounded-2xl border p-4 md:grid-cols-[minmax(0,280px)_minmax(0,1fr)]"
            >
              <div className="min-w-0">
                {input && output ? (
                  <CompareSlider
                    before={input}
                    after={output}
                    variant="thumb"
                    label={`Compare step ${index + 1}: input and result`}
                  />
                ) : (
                  <JobPreview generation={step} className="rounded-xl" />
                )}
              </div>
              <div className="flex min-w-0 flex-col gap-2 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="text-muted tabular-nums">Step {index + 1}</span>
                  <span className="font-semibold">{STEP_LABELS[step.kind]}</span>
                  <StatusBadge status={step.status} />
                  {current ? <span className="text-accent text-xs font-medium">This image</span> : null}
                </p>
                <p className="line-clamp-3">{step.prompt}</p>
                {step.kind === "remix" && step.inputs.length > 0 ? (
                  <ul className="flex gap-2" aria-label="References">
                    {step.inputs.map((asset, i) => (
                      <li key={asset.id} className="bg-surface-2 size-12 overflow-hidden rounded-md">
                        <AssetImage asset={asset} alt={`Reference ${i + 1}`} className="size-full" />
                      </li>
                    ))}
                  </ul>
                ) : null}
                {current ? null : (
                  <Link
                    href={`/gallery/${step.id}`}
                    className="text-accent self-start font-medium underline-offset-4 hover:underline"
                  >
                    Open step {index + 1}
                  </Link>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
