"use client";

import { Pencil, Trash } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";

import { PresetNameForm } from "@/components/presets/preset-name-form";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/action-result";
import { PROVIDER_LABELS } from "@/lib/domain";
import { describePreset, type PresetDto } from "@/lib/presets";
import { deletePresetAction } from "@/server/actions/delete-preset";
import { renamePresetAction } from "@/server/actions/rename-preset";

const providerLabel = (id: PresetDto["settings"]["provider"]) =>
  id === "auto" ? "Auto" : PROVIDER_LABELS[id];

/** The account's prompt presets, to rename or delete (they are applied on the create page). */
export function PresetList({ initial }: { initial: PresetDto[] }) {
  const [presets, setPresets] = useState(initial);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<PresetDto | null>(null);
  const [pending, startTransition] = useTransition();

  function run<T>(action: () => Promise<ActionResult<T>>, done: () => void) {
    startTransition(async () => {
      const result = await action().catch(() => null);
      if (!result || !result.ok) {
        toast.error(result ? result.error.message : "The studio could not be reached. Try again.");
        return;
      }
      done();
    });
  }

  function rename(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!renaming) return;
    const { id, name } = renaming;
    run(
      () => renamePresetAction({ id, name }),
      () => {
        setPresets((all) => all.map((p) => (p.id === id ? { ...p, name: name.trim() } : p)));
        setRenaming(null);
      },
    );
  }

  if (presets.length === 0) {
    return <p className="text-muted text-sm">No presets yet. Save one from the create page.</p>;
  }
  return (
    <>
      <ul className="flex flex-col gap-2" aria-label="Prompt presets">
        {presets.map((preset) => (
          <li
            key={preset.id}
            className="border-border flex flex-wrap items-center gap-3 rounded-xl border p-3"
          >
            {renaming?.id === preset.id ? (
              <PresetNameForm
                label={`New name of the preset ${preset.name}`}
                labelHidden
                value={renaming.name}
                onChange={(name) => setRenaming({ id: preset.id, name })}
                onSubmit={rename}
                onCancel={() => setRenaming(null)}
                submitLabel="Save name"
                pending={pending}
                className="flex-1"
              />
            ) : (
              <>
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">{preset.name}</p>
                  <p className="text-muted truncate text-xs">
                    {preset.settings.prompt} — {describePreset(preset.settings, providerLabel)}
                  </p>
                </div>
                <Button
                  variant="ghost"
                  className="h-9"
                  onClick={() => setRenaming({ id: preset.id, name: preset.name })}
                  aria-label={`Rename preset ${preset.name}`}
                >
                  <Pencil className="size-4" aria-hidden /> Rename
                </Button>
                <Button
                  variant="ghost"
                  className="text-danger h-9"
                  onClick={() => setDeleting(preset)}
                  aria-label={`Delete preset ${preset.name}`}
                >
                  <Trash className="size-4" aria-hidden /> Delete
                </Button>
              </>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete the preset “${deleting?.name ?? ""}”?`}
        description="Only the preset goes; images made with it stay."
        confirmLabel="Delete preset"
        pendingLabel="Deleting…"
        pending={pending}
        onConfirm={() => {
          const doomed = deleting;
          if (!doomed) return;
          run(
            () => deletePresetAction({ id: doomed.id }),
            () => {
              setPresets((all) => all.filter((p) => p.id !== doomed.id));
              setDeleting(null);
            },
          );
        }}
      />
    </>
  );
}
