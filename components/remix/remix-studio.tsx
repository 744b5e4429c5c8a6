"use client";

import { useState } from "react";

import { AspectRatioPicker } from "@/components/create/aspect-ratio-picker";
import { submitOnShortcut } from "@/components/create/submit-on-shortcut";
import { PromptField } from "@/components/create/prompt-field";
import { ProviderSelect } from "@/components/create/provider-select";
import { StudioLayout } from "@/components/create/studio-layout";
import { SubmitBar } from "@/components/create/submit-bar";
import { DropOverlay } from "@/components/editor/drop-overlay";
import { usePageImageInput } from "@/hooks/use-page-image-input";
import { useUploads } from "@/hooks/use-uploads";
import { JobResult, ResultPlaceholder } from "@/components/jobs/job-result";
import { useJobForm } from "@/hooks/use-job-form";
import { fieldErrorsOf } from "@/lib/action-result";
import type { AspectRatio } from "@/lib/domain";
import type { AssetDto, StudioConfig } from "@/lib/dto";
import { remixImagesSchema, type RemixImagesInput } from "@/lib/generation-input";
import { choiceReason, type ProviderChoice } from "@/lib/provider-support";
import { remixImages } from "@/server/actions/remix-images";

import { ReferenceChips } from "./reference-chips";

export interface RemixDefaults {
  references: AssetDto[];
  parentId: string | null;
  prompt: string;
  aspectRatio: AspectRatio;
  provider: ProviderChoice;
}

/** The remix page: one to four references, a prompt and a format, and the result beside them. */
export function RemixStudio({
  config,
  defaults,
  children,
}: {
  config: StudioConfig;
  defaults: RemixDefaults;
  children: React.ReactNode;
}) {
  const max = config.limits.maxReferences;
  const uploads = useUploads({
    max,
    maxBytes: config.limits.uploadMaxBytes,
    initial: defaults.references,
    refusal: `A remix takes at most ${max} reference images. Remove one to add another.`,
  });
  const [prompt, setPrompt] = useState(defaults.prompt);
  const [ratio, setRatio] = useState<AspectRatio>(defaults.aspectRatio);
  const [provider, setProvider] = useState<ProviderChoice>(defaults.provider);
  const cost = config.prices.remix;
  const jobForm = useJobForm({ kind: "remix", cost, revealId: "result-heading", showsResult: true });
  const { showErrors, job } = jobForm;
  const { dragging } = usePageImageInput(uploads.add);

  const refs = uploads.ready;
  const images = Math.max(1, refs.length);
  const problem = choiceReason(config, "remix", provider, { aspectRatio: ratio, images });
  const othersProblem = choiceReason(config, "remix", provider, { images });
  const ratioReason = (r: AspectRatio) =>
    choiceReason(config, "remix", provider, othersProblem ? { aspectRatio: r } : { aspectRatio: r, images });
  // Keep the chain only while what it continues from is still among the references.
  const parentId =
    defaults.parentId && refs.some((a) => defaults.references.some((d) => d.id === a.id))
      ? defaults.parentId
      : null;

  const input: RemixImagesInput = {
    prompt,
    assetIds: refs.map((a) => a.id),
    aspectRatio: ratio,
    ...(parentId ? { parentId } : {}),
    provider,
  };
  const parsed = remixImagesSchema.safeParse(input);
  const errors = fieldErrorsOf(parsed.success ? undefined : parsed.error);
  const refsMessage = uploads.uploading
    ? "Wait for the uploads to finish."
    : refs.length === 0
      ? "Add at least one reference image: drop, paste or choose it."
      : undefined;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    void jobForm.onSubmit(event, {
      draft:
        parsed.success && !uploads.uploading && !problem
          ? {
              prompt: parsed.data.prompt,
              negativePrompt: null,
              aspectRatio: ratio,
              seed: null,
              requestedProvider: parsed.data.provider,
              cost,
              parentId,
              inputs: refs,
            }
          : null,
      send: () => remixImages(input),
    });
  }

  const form = (
    <form
      onSubmit={onSubmit}
      onKeyDown={submitOnShortcut}
      noValidate
      className="flex flex-col gap-5"
      aria-label="Remix images"
    >
      <div className="flex flex-col gap-1.5">
        <div className="flex items-baseline justify-between">
          <span className="text-sm font-medium" id="references-label">
            References
          </span>
          <span className="text-muted text-xs tabular-nums" data-testid="reference-count">
            {uploads.items.length} of {max}
          </span>
        </div>
        <ReferenceChips items={uploads.items} max={max} onFiles={uploads.add} onRemove={uploads.remove} />
        <p className="text-muted text-xs">
          Drop or paste images anywhere on the page, or pick them from the gallery.
        </p>
        {uploads.notice ? (
          <p className="text-warning text-xs" role="alert" data-testid="references-notice">
            {uploads.notice}
          </p>
        ) : null}
        {uploads.items
          .filter((item) => item.status === "error")
          .map((item) => (
            <p key={item.key} className="text-danger text-xs" role="alert" data-testid="upload-error">
              {item.error}
            </p>
          ))}
        {showErrors && refsMessage ? (
          <p className="text-danger text-xs" role="alert">
            {refsMessage}
          </p>
        ) : null}
      </div>
      <PromptField
        id="prompt"
        label="Prompt"
        value={prompt}
        onChange={setPrompt}
        error={showErrors ? errors.prompt : undefined}
        placeholder="The cat from the first image in the style of the second"
        max={config.limits.promptMax}
        rows={3}
      />
      <AspectRatioPicker value={ratio} onChange={setRatio} disabledReason={ratioReason} />
      <ProviderSelect
        config={config}
        operation="remix"
        value={provider}
        onChange={setProvider}
        needs={{ aspectRatio: ratio, images }}
        problem={problem}
      />
      <SubmitBar
        label="Remix"
        {...jobForm.bar}
        blocked={problem !== undefined || prompt.length > config.limits.promptMax}
      />
    </form>
  );

  return (
    <StudioLayout mode="remix" title="Remix" intro="Blend up to four images into a new one." form={form}>
      <DropOverlay visible={dragging} label="Drop to add references" />
      {job ? (
        <JobResult key={job.id} job={job} />
      ) : (
        <ResultPlaceholder>The remix appears here as soon as you submit.</ResultPlaceholder>
      )}
      {children}
    </StudioLayout>
  );
}
