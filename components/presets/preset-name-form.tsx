"use client";

import { useId } from "react";

import { Button } from "@/components/ui/button";
import { PRESET_NAME_MAX } from "@/lib/presets";

/** A preset's name in a small inline form: saving a new preset, or renaming one. */
export function PresetNameForm({
  label,
  labelHidden = false,
  formLabel,
  value,
  onChange,
  onSubmit,
  onCancel,
  submitLabel,
  pending,
  className = "",
}: {
  label: string;
  labelHidden?: boolean;
  formLabel?: string;
  value: string;
  onChange: (name: string) => void;
  onSubmit: (event: React.FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
  submitLabel: string;
  pending: boolean;
  className?: string;
}) {
  const id = useId();
  return (
    <form
      onSubmit={onSubmit}
      className={`flex flex-wrap items-center gap-2 ${className}`}
      aria-label={formLabel}
    >
      <label htmlFor={id} className={labelHidden ? "sr-only" : "text-sm"}>
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={PRESET_NAME_MAX}
        autoFocus
        className="border-border bg-surface text-fg h-9 w-48 rounded-lg border px-3 text-sm"
      />
      <Button type="submit" className="h-9" disabled={pending}>
        {submitLabel}
      </Button>
      <Button variant="ghost" className="h-9" onClick={onCancel}>
        Cancel
      </Button>
    </form>
  );
}
