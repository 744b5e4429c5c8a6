"use client";

import { Dice5, Lock, LockOpen } from "lucide-react";

import { SEED_MAX } from "@/lib/domain";

export interface SeedState {
  locked: boolean;
  /** The text in the field, kept as typed so a half-typed number is not lost. */
  value: string;
}

export const randomSeed = () => Math.floor(Math.random() * SEED_MAX);

/**
 * Random (no seed is sent; the provider picks one) or locked to a number, so the same prompt comes
 * out the same. The dice rolls a number and locks it.
 */
export function SeedField({
  state,
  onChange,
  unavailable,
  error,
}: {
  state: SeedState;
  onChange: (state: SeedState) => void;
  /** Why no seed can be sent with the chosen provider, if so. */
  unavailable?: string;
  error?: string;
}) {
  const disabled = unavailable !== undefined;
  const described = [unavailable ? "seed-unavailable" : "", error ? "seed-error" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex items-center justify-between">
        <label htmlFor="seed" className="text-sm font-medium">
          Seed
        </label>
        <span className="text-muted text-xs">{state.locked ? "Locked" : "Random"}</span>
      </div>
      <div className="flex gap-2">
        <button
          type="button"
          aria-pressed={state.locked}
          disabled={disabled && !state.locked}
          onClick={() =>
            onChange(
              state.locked
                ? { locked: false, value: "" }
                : { locked: true, value: state.value || String(randomSeed()) },
            )
          }
          className="border-border bg-surface hover:bg-surface-2 aria-pressed:border-accent aria-pressed:text-accent flex h-10 shrink-0 items-center gap-1.5 rounded-lg border px-3 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50"
        >
          {state.locked ? (
            <Lock className="size-4" aria-hidden />
          ) : (
            <LockOpen className="size-4" aria-hidden />
          )}
          Lock seed
        </button>
        <input
          id="seed"
          name="seed"
          inputMode="numeric"
          autoComplete="off"
          placeholder="Random"
          value={state.value}
          disabled={disabled && !state.locked}
          onChange={(event) => {
            const value = event.target.value.replace(/[^\d]/g, "").slice(0, 10);
            onChange({ locked: value !== "", value });
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          className="border-border bg-surface text-fg placeholder:text-muted aria-invalid:border-danger h-10 min-w-0 flex-1 rounded-lg border px-3 text-sm tabular-nums disabled:opacity-50"
        />
        <button
          type="button"
          aria-label="Roll a random seed"
          title="Roll a random seed"
          disabled={disabled}
          onClick={() => onChange({ locked: true, value: String(randomSeed()) })}
          className="border-border bg-surface hover:bg-surface-2 flex size-10 shrink-0 items-center justify-center rounded-lg border disabled:cursor-not-allowed disabled:opacity-50"
        >
          <Dice5 className="size-4" aria-hidden />
        </button>
      </div>
      {error ? (
        <p id="seed-error" className="text-danger text-xs" role="alert">
          {error}
        </p>
      ) : unavailable ? (
        <p id="seed-unavailable" className="text-muted text-xs">
          {unavailable}
        </p>
      ) : null}
    </div>
  );
}
