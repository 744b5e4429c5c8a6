"use client";

import { useId } from "react";

import { BATCH_MAX } from "@/lib/domain";

const COUNTS = Array.from({ length: BATCH_MAX }, (_, i) => i + 1);

/** How many images one create makes (a batch), as a radio group: arrow keys move between counts. */
export function CountPicker({ value, onChange }: { value: number; onChange: (count: number) => void }) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-sm font-medium">Images</legend>
      <div className="grid grid-cols-4 gap-1.5" data-testid="image-count">
        {COUNTS.map((count) => (
          <label
            key={count}
            className="border-border bg-surface text-muted hover:text-fg has-checked:border-accent has-checked:text-accent has-focus-visible:outline-accent relative flex cursor-pointer items-center justify-center rounded-lg border py-2 text-sm font-medium has-focus-visible:outline-2 has-focus-visible:outline-offset-2"
          >
            <input
              type="radio"
              name={name}
              value={count}
              checked={value === count}
              onChange={() => onChange(count)}
              aria-label={count === 1 ? "1 image" : `${count} images`}
              className="absolute inset-0 z-10 cursor-pointer appearance-none opacity-0"
            />
            <span aria-hidden>{count}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
