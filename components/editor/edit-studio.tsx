"use client";

import { Pencil } from "lucide-react";
import { useRef, useState } from "react";

import { PromptField } from "@/components/create/prompt-field";
import { ProviderSelect } from "@/components/create/provider-select";
import { SubmitBar } from "@/components/create/submit-bar";
import { submitOnShortcut } from "@/components/create/submit-on-shortcut";
import { StudioLayout } from "@/components/create/studio-layout";
import { JobResult, ResultPlaceholder } from "@/components/jobs/job-result";
import { useJobForm } from "@/hooks/use-job-form";
import { Button } from "@/components/ui/button";
import { fieldErrorsOf } from "@/lib/action-result";
import type { AssetDto, GenerationDto, StudioConfig } from "@/lib/dto";
import { editImageSchema, type EditImageInput } from "@/lib/generation-input";
import { choiceReason, type ProviderChoice } from "@/lib/provider-support";
import { editImage } from "@/server/actions/edit-image";

import { DropOverlay } from "./drop-overlay";
import { ImageDropzone } from "./image-dropzone";
import { usePageImageInput } from "@/hooks/use-page-image-input";
import { useUploads } from "@/hooks/use-uploads";

export interface EditDefaults {
  asset: AssetDto | null;
  parentId: string | null;
  prompt: string;
  provider: ProviderChoice;
}

/** The edit page: the input image and the instruction on one side, the result beside it. */
export function EditStudio({
  config,
  defaults,
  children,
}: {
  config: StudioConfig;
  defaults: EditDefaults;
  children: React.ReactNode;
}) {
  const uploads = useUploads({
    max: 1,
    maxBytes: config.limits.uploadMaxBytes,
    initial: defaults.asset ? [defaults.asset] : [],
  });
  const [parentId, setParentId] = useState(defaults.parentId);
  const [prompt, setPrompt] = useState(defaults.prompt);
  const [provider, setProvider] = useState<ProviderChoice>(defaults.provider);
  const promptRef = useRef<HTMLDivElement>(null);
  const cost = config.prices.edit;
  const jobForm = useJobForm({ kind: "edit", cost, revealId: "result-heading", showsResult: true });
  const { showErrors, setShowErrors, job, setJob } = jobForm;

  const item = uploads.items[0];
  const asset = uploads.ready[0];
  const problem = choiceReason(config, "edit", provider, { images: 1 });

  function takeFiles(files: File[]) {
    // A new image starts a new chain.
    setParentId(null);
    jobForm.setServerError(undefined);
    uploads.add(files);
  }
  const { dragging } = usePageImageInput(takeFiles);

  const input: EditImageInput = {
    prompt,
    assetId: asset?.id ?? "",
    ...(parentId ? { parentId } : {}),
    provider,
  };
  const parsed = editImageSchema.safeParse(input);
  const errors = fieldErrorsOf(parsed.success ? undefined : parsed.error);
  const imageMessage = !item
    ? "Add the image to edit: drop it, paste it or choose a file."
    : item.status === "uploading"
      ? "Wait for the upload to finish."
      : item.status === "error"
        ? "Choose another image: this one could not be uploaded."
        : undefined;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    void jobForm.onSubmit(event, {
      draft:
        parsed.success && asset && !problem
          ? {
              prompt: parsed.data.prompt,
              negativePrompt: null,
              aspectRatio: null,
              seed: null,
              requestedProvider: parsed.data.provider,
              cost,
              parentId: parentId,
              inputs: [asset],
            }
          : null,
      send: () => editImage(input),
    });
  }

  function editAgain(result: GenerationDto) {
    const output = result.outputs[0];
    if (!output) return;
    uploads.putAsset(output);
    setParentId(result.id);
    setPrompt("");
    setJob(null);
    setShowErrors(false);
    promptRef.current?.querySelector("textarea")?.focus();
  }

  const form = (
    <form
      onSubmit={onSubmit}
      onKeyDown={submitOnShortcut}
      noValidate
      className="flex flex-col gap-5"
      aria-label="Edit an image"
    >
      <div className="flex flex-col gap-1.5">
        <span className="text-sm font-medium">Image</span>
        <ImageDropzone
          item={item}
          onFiles={takeFiles}
          onRemove={() => {
            setParentId(null);
            if (item) uploads.remove(item.key);
          }}
          maxBytes={config.limits.uploadMaxBytes}
        />
        {showErrors && imageMessage ? (
          <p className="text-danger text-xs" role="alert">
            {imageMessage}
          </p>
        ) : null}
        {parentId && asset ? (
          <p className="text-muted text-xs">
            Continues from an earlier image; the chain shows on its detail page.
          </p>
        ) : null}
      </div>
      <div ref={promptRef}>
        <PromptField
          id="instruction"
          label="Instruction"
          value={prompt}
          onChange={setPrompt}
          error={showErrors ? errors.prompt : undefined}
          placeholder="Make it night, add a warm light in the window"
          max={config.limits.promptMax}
          rows={3}
        />
      </div>
      <ProviderSelect
        config={config}
        operation="edit"
        value={provider}
        onChange={setProvider}
        needs={{ images: 1 }}
        problem={problem}
      />
      <SubmitBar
        label="Edit image"
        {...jobForm.bar}
        blocked={problem !== undefined || prompt.length > config.limits.promptMax}
      />
    </form>
  );

  return (
    <StudioLayout mode="edit" title="Edit" intro="Change an image with a plain instruction." form={form}>
      <DropOverlay visible={dragging} label="Drop the image to edit it" />
      {job ? (
        <JobResult
          key={job.id}
          job={job}
          actions={(result) => (
            <Button type="button" onClick={() => editAgain(result)}>
              <Pencil className="size-4" aria-hidden /> Edit again
            </Button>
          )}
        />
      ) : (
        <ResultPlaceholder>
          The edited image appears here, beside the original, with a before/after slider.
        </ResultPlaceholder>
      )}
      {children}
    </StudioLayout>
  );
}
