"use client";

import { useId } from "react";

import { ASPECT_RATIOS, type AspectRatio } from "@/lib/domain";
import { ratioValue } from "@/lib/format";

const SHAPES: Record<AspectRatio, string> = {
  "1:1": "Square",
  "16:9": "Wide",
  "9:16": "Tall",
  "4:3": "Landscape",
  "3:4": "Portrait",
  "3:2": "Photo landscape",
  "2:3": "Photo portrait",
};

/** A little rectangle of the ratio's own proportions, fitted in a 28 px square. */
function Shape({ ratio }: { ratio: AspectRatio }) {
  const r = ratioValue(ratio);
  const width = r >= 1 ? 28 : Math.round(28 * r);
  const height = r >= 1 ? Math.round(28 / r) : 28;
  return (
    <span className="flex size-7 items-center justify-center" aria-hidden>
      <span
        className="rounded-[3px] border-2 border-current transition-colors group-has-checked:bg-current/20"
        style={{ width, height }}
      />
    </span>
  );
}

/**
 * The seven aspect ratios as a radio group: native radios underneath, so arrow keys move between
 * them and skip the ones the chosen provider lacks.
 */
export function AspectRatioPicker({
  value,
  onChange,
  disabledReason,
  legend = "Aspect ratio",
}: {
  value: AspectRatio;
  onChange: (ratio: AspectRatio) => void;
  /** Why a ratio cannot be picked with the current settings, or undefined if it can. */
  disabledReason: (ratio: AspectRatio) => string | undefined;
  legend?: string;
}) {
  const name = useId();
  const hintId = useId();
  const reasons = ASPECT_RATIOS.map((r) => disabledReason(r)).filter((r): r is string => Boolean(r));
  const hint = [...new Set(reasons)][0];
  return (
    <fieldset className="flex flex-col gap-1.5" aria-describedby={hint ? hintId : undefined}>
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="grid grid-cols-4 gap-1.5 sm:grid-cols-7" data-testid="aspect-ratios">
        {ASPECT_RATIOS.map((ratio) => {
          const reason = disabledReason(ratio);
          return (
            <label
              key={ratio}
              title={reason ?? SHAPES[ratio]}
              className="group border-border bg-surface text-muted hover:text-fg has-checked:border-accent has-checked:text-accent has-focus-visible:outline-accent has-disabled:hover:text-muted relative flex cursor-pointer flex-col items-center gap-1 rounded-lg border px-1 py-2 text-xs font-medium has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-disabled:cursor-not-allowed has-disabled:opacity-40"
            >
              <input
                type="radio"
                name={name}
                value={ratio}
                checked={value === ratio}
                disabled={reason !== undefined && value !== ratio}
                onChange={() => onChange(ratio)}
                className="absolute inset-0 z-10 cursor-pointer appearance-none opacity-0 disabled:cursor-not-allowed"
              />
              <Shape ratio={ratio} />
              <span>{ratio}</span>
            </label>
          );
        })}
      </div>
      {hint ? (
        <p id={hintId} className="text-muted text-xs">
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}
