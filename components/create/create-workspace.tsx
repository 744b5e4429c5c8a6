"use client";

import { FileImage } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { DropOverlay } from "@/components/editor/drop-overlay";
import { Button } from "@/components/ui/button";
import { usePageImageInput } from "@/hooks/use-page-image-input";
import type { StudioConfig } from "@/lib/dto";
import type { PresetDto } from "@/lib/presets";
import { fileSettingsAnswerSchema, type FileSettings } from "@/lib/file-settings";
import { fetchJson } from "@/lib/query-client";
import { createDefaultsFrom } from "@/lib/restore-settings";
import { checkImageFile, uploadImage } from "@/lib/upload";

import { CreateForm, type CreateDefaults } from "./create-form";

type Dropped =
  | { state: "reading"; file: File }
  | { state: "uploading"; file: File }
  | { state: "settings"; file: File; settings: FileSettings }
  | { state: "uploaded"; file: File; assetId: string }
  | { state: "error"; message: string };

/**
 * The create form, plus what an image dropped or pasted on the page does: a file saved from this
 * studio offers its settings back (or to edit or remix it); any other image is uploaded for edit
 * or remix, since Create itself takes no image.
 */
export function CreateWorkspace({
  config,
  defaults,
  formKey,
  presets,
}: {
  config: StudioConfig;
  defaults: CreateDefaults;
  formKey: string;
  presets: PresetDto[];
}) {
  const router = useRouter();
  const [form, setForm] = useState({ key: formKey, defaults });
  const [dropped, setDropped] = useState<Dropped>();
  const [restored, setRestored] = useState<string>();

  async function take(files: File[]) {
    const file = files[0];
    if (!file) return;
    setRestored(undefined);
    const problem = checkImageFile(file, config.limits.uploadMaxBytes);
    if (problem) return setDropped({ state: "error", message: problem });
    setDropped({ state: "reading", file });
    try {
      const body = new FormData();
      body.append("file", file);
      const answer = fileSettingsAnswerSchema.safeParse(
        await fetchJson<unknown>("/api/file-settings", { method: "POST", body }),
      );
      const settings = answer.success ? answer.data.settings : null;
      if (settings) setDropped({ state: "settings", file, settings });
      else await upload(file);
    } catch (error) {
      setDropped({ state: "error", message: messageOf(error) });
    }
  }
  const { dragging } = usePageImageInput((files) => void take(files));

  async function upload(file: File, then?: (assetId: string) => void) {
    setDropped({ state: "uploading", file });
    try {
      const asset = await uploadImage(file);
      setDropped({ state: "uploaded", file, assetId: asset.id });
      then?.(asset.id);
    } catch (error) {
      setDropped({ state: "error", message: messageOf(error) });
    }
  }

  function restore(file: File, settings: FileSettings) {
    setForm((current) => ({ key: `${current.key}+`, defaults: createDefaultsFrom(settings, config) }));
    setDropped(undefined);
    setRestored(`Settings restored from ${file.name || "the image"}.`);
  }

  const toEdit = (assetId: string) => router.push(`/create/edit?asset=${assetId}`);
  const toRemix = (assetId: string) => router.push(`/create/remix?refs=${assetId}`);

  return (
    <div className="flex flex-col gap-5">
      <DropOverlay visible={dragging} label="Drop an image to restore its settings or edit it" />
      {dropped ? (
        <section
          aria-label="Dropped image"
          data-testid="dropped-image"
          className="border-border bg-surface-2 flex flex-col gap-3 rounded-xl border p-4 text-sm"
        >
          {dropped.state === "error" ? (
            <p role="alert" className="text-danger">
              {dropped.message}
            </p>
          ) : dropped.state === "reading" || dropped.state === "uploading" ? (
            <p role="status">{dropped.state === "reading" ? "Reading the image…" : "Uploading the image…"}</p>
          ) : dropped.state === "settings" ? (
            <>
              <p role="status" className="flex items-center gap-2 font-medium">
                <FileImage className="size-4" aria-hidden /> This image carries the settings it was made with.
              </p>
              <p className="text-muted line-clamp-3 break-words">{dropped.settings.prompt}</p>
              <div className="flex flex-wrap gap-2">
                <Button onClick={() => restore(dropped.file, dropped.settings)}>Restore its settings</Button>
                <Button variant="secondary" onClick={() => void upload(dropped.file, toEdit)}>
                  Edit it
                </Button>
                <Button variant="secondary" onClick={() => void upload(dropped.file, toRemix)}>
                  Remix it
                </Button>
              </div>
            </>
          ) : (
            <>
              <p role="status">
                Uploaded {dropped.file.name || "the image"}. Create starts from words; use it to:
              </p>
              <div className="flex flex-wrap gap-2">
                <Button onClick={() => toEdit(dropped.assetId)}>Edit it</Button>
                <Button variant="secondary" onClick={() => toRemix(dropped.assetId)}>
                  Remix it
                </Button>
              </div>
            </>
          )}
          {dropped.state === "reading" || dropped.state === "uploading" ? null : (
            <Button variant="ghost" className="self-start" onClick={() => setDropped(undefined)}>
              Dismiss
            </Button>
          )}
        </section>
      ) : null}
      {restored ? (
        <p role="status" className="text-sm">
          {restored}
        </p>
      ) : null}
      <CreateForm key={form.key} config={config} defaults={form.defaults} presets={presets} />
    </div>
  );
}

const messageOf = (error: unknown) =>
  error instanceof Error && error.message ? error.message : "The image could not be read. Try again.";
