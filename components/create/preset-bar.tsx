"use client";

import { Bookmark, BookmarkPlus } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { useHydrated } from "@/hooks/use-hydrated";
import type { CreateImageInput } from "@/lib/generation-input";
import { PRESET_NAME_MAX, type PresetDto, type PresetSettings } from "@/lib/presets";
import { savePresetAction } from "@/server/actions/save-preset";

const control = "border-border bg-surface text-fg h-9 rounded-lg border px-3 text-sm";

/** The user's presets, each applied in one click, and "Save as preset" for the form's settings. */
export function PresetBar({
  initial,
  current,
  onApply,
}: {
  initial: PresetDto[];
  current: CreateImageInput;
  onApply: (settings: PresetSettings) => void;
}) {
  const [presets, setPresets] = useState(initial);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const nameId = useId();

  function save(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await savePresetAction({ name, settings: current }).catch(() => null);
      if (!result || !result.ok) {
        toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
        return;
      }
      const saved = result.data;
      setPresets((all) => [...all, saved].sort((a, b) => a.name.localeCompare(b.name)));
      setName("");
      setNaming(false);
      toast.success(`Saved the preset “${saved.name}”.`);
    });
  }

  return (
    <div className="flex flex-col gap-2">
      <div role="group" aria-label="Presets" className="flex flex-wrap items-center gap-2">
        {presets.map((preset) => (
          <Button
            key={preset.id}
            variant="secondary"
            className="h-8 rounded-full px-3"
            disabled={!hydrated}
            aria-label={`Apply preset ${preset.name}`}
            onClick={() => {
              onApply(preset.settings);
              toast.success(`Applied “${preset.name}”.`);
            }}
          >
            <Bookmark className="size-3.5" aria-hidden /> {preset.name}
          </Button>
        ))}
        {naming ? null : (
          <Button variant="ghost" className="h-8 px-3" onClick={() => setNaming(true)} disabled={!hydrated}>
            <BookmarkPlus className="size-4" aria-hidden /> Save as preset
          </Button>
        )}
      </div>
      {naming ? (
        <form onSubmit={save} className="flex flex-wrap items-center gap-2" aria-label="Save as preset">
          <label htmlFor={nameId} className="text-sm">
            Preset name
          </label>
          <input
            id={nameId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={PRESET_NAME_MAX}
            autoFocus
            className={`${control} w-48`}
          />
          <Button type="submit" className="h-9" disabled={pending}>
            Save preset
          </Button>
          <Button variant="ghost" className="h-9" onClick={() => setNaming(false)}>
            Cancel
          </Button>
        </form>
      ) : null}
    </div>
  );
}
