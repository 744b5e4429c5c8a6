"use client";

import { Bookmark, BookmarkPlus } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";

import { PresetNameForm } from "@/components/presets/preset-name-form";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/hooks/use-hydrated";
import type { CreateImageInput } from "@/lib/generation-input";
import type { PresetDto, PresetSettings } from "@/lib/presets";
import { savePresetAction } from "@/server/actions/save-preset";

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
        <PresetNameForm
          label="Preset name"
          formLabel="Save as preset"
          value={name}
          onChange={setName}
          onSubmit={save}
          onCancel={() => setNaming(false)}
          submitLabel="Save preset"
          pending={pending}
        />
      ) : null}
    </div>
  );
}
