"use client";

import { useState } from "react";

import { useJobForm } from "@/hooks/use-job-form";
import { fieldErrorsOf } from "@/lib/action-result";
import { NEGATIVE_PROMPT_MAX, type AspectRatio } from "@/lib/domain";
import type { StudioConfig } from "@/lib/dto";
import { createImageSchema, type CreateImageInput } from "@/lib/generation-input";
import type { PresetDto, PresetSettings } from "@/lib/presets";
import { choiceOffers, choiceReason, type Needs, type ProviderChoice } from "@/lib/provider-support";
import { createImage } from "@/server/actions/create-image";

import { AspectRatioPicker } from "./aspect-ratio-picker";
import { CountPicker } from "./count-picker";
import { PresetBar } from "./preset-bar";
import { PromptField } from "./prompt-field";
import { ProviderSelect } from "./provider-select";
import { SeedField, type SeedState } from "./seed-field";
import { SubmitBar } from "./submit-bar";
import { submitOnShortcut } from "./submit-on-shortcut";

export interface CreateDefaults {
  prompt: string;
  negativePrompt: string;
  aspectRatio: AspectRatio;
  seed: number | null;
  provider: ProviderChoice;
}

export function CreateForm({
  config,
  defaults,
  presets,
}: {
  config: StudioConfig;
  defaults: CreateDefaults;
  presets: PresetDto[];
}) {
  const [prompt, setPrompt] = useState(defaults.prompt);
  const [negative, setNegative] = useState(defaults.negativePrompt);
  const [ratio, setRatio] = useState<AspectRatio>(defaults.aspectRatio);
  const [seed, setSeed] = useState<SeedState>(
    defaults.seed === null ? { locked: false, value: "" } : { locked: true, value: String(defaults.seed) },
  );
  const [provider, setProvider] = useState<ProviderChoice>(defaults.provider);
  const [note, setNote] = useState<string>();
  const [count, setCount] = useState(1);
  const price = config.prices.create;
  const cost = price * count;
  const form = useJobForm({ kind: "create", cost, revealId: "recent-create", showsResult: false });
  const showErrors = form.showErrors;

  const negativeShown = choiceOffers(config, "create", provider, "negativePrompt");
  const seedOffered = choiceOffers(config, "create", provider, "seed");
  const seedLocked = seed.locked && seed.value !== "";
  const needs: Needs = {
    images: 0,
    aspectRatio: ratio,
    seed: seedLocked,
    negativePrompt: negativeShown && negative.trim() !== "",
  };
  const problem = choiceReason(config, "create", provider, needs);
  const othersProblem = choiceReason(config, "create", provider, { ...needs, aspectRatio: undefined });
  const ratioReason = (r: AspectRatio) =>
    choiceReason(
      config,
      "create",
      provider,
      othersProblem ? { images: 0, aspectRatio: r } : { ...needs, aspectRatio: r },
    );
  const seedUnavailable = !seedOffered
    ? provider === "auto"
      ? "No provider on this studio takes a seed."
      : `${config.providers.find((p) => p.id === provider)?.label ?? "This provider"} has no seed.`
    : seedLocked
      ? undefined
      : choiceReason(config, "create", provider, { ...needs, seed: true });

  const input: CreateImageInput = {
    prompt,
    negativePrompt: negativeShown ? negative : undefined,
    aspectRatio: ratio,
    seed: seedLocked ? Number(seed.value) : undefined,
    provider,
    count,
  };
  const parsed = createImageSchema.safeParse(input);
  const errors = fieldErrorsOf(parsed.success ? undefined : parsed.error);

  function changeProvider(next: ProviderChoice) {
    setProvider(next);
    setNote(undefined);
    if (next === "auto") return;
    const summary = config.providers.find((p) => p.id === next);
    const caps = summary?.operations.create;
    if (!summary || !caps) return;
    const changes: string[] = [];
    if (caps.aspectRatios.length > 0 && !caps.aspectRatios.includes(ratio)) {
      const fallback = caps.aspectRatios.includes("1:1") ? "1:1" : caps.aspectRatios[0]!;
      setRatio(fallback);
      changes.push(`aspect ratio set to ${fallback}`);
    }
    if (seedLocked && !caps.seed) {
      setSeed({ locked: false, value: "" });
      changes.push("seed set to random");
    }
    if (negative.trim() && !caps.negativePrompt) changes.push("the negative prompt is not sent");
    if (changes.length > 0) {
      const text = changes.join(", ");
      setNote(`${summary.label}: ${text.charAt(0).toUpperCase()}${text.slice(1)}.`);
    }
  }

  function applyPreset(settings: PresetSettings) {
    setPrompt(settings.prompt);
    setNegative(settings.negativePrompt ?? "");
    setRatio(settings.aspectRatio);
    setSeed(
      settings.seed === undefined
        ? { locked: false, value: "" }
        : { locked: true, value: String(settings.seed) },
    );
    setProvider(settings.provider);
    setNote(undefined);
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    void form.onSubmit(event, {
      draft:
        parsed.success && !problem
          ? {
              prompt: parsed.data.prompt,
              negativePrompt: parsed.data.negativePrompt ?? null,
              aspectRatio: parsed.data.aspectRatio,
              seed: parsed.data.seed ?? null,
              requestedProvider: parsed.data.provider,
              cost: price,
              parentId: null,
              inputs: [],
            }
          : null,
      send: () => createImage(input),
      count: parsed.success ? parsed.data.count : 1,
    });
  }

  return (
    <div className="flex flex-col gap-5">
      <PresetBar initial={presets} current={input} onApply={applyPreset} />
      <form
        onSubmit={onSubmit}
        onKeyDown={submitOnShortcut}
        noValidate
        className="flex flex-col gap-5"
        aria-label="Create an image"
      >
        <PromptField
          id="prompt"
          label="Prompt"
          value={prompt}
          onChange={setPrompt}
          error={showErrors ? errors.prompt : undefined}
          placeholder="A lighthouse on a cliff at dawn, soft fog, film photo"
          max={config.limits.promptMax}
          rows={5}
          autoFocus
        />
        <AspectRatioPicker value={ratio} onChange={setRatio} disabledReason={ratioReason} />
        <CountPicker value={count} onChange={setCount} />
        <SeedField
          state={seed}
          onChange={setSeed}
          unavailable={seedUnavailable}
          error={showErrors ? errors.seed : undefined}
        />
        {negativeShown ? (
          <PromptField
            id="negativePrompt"
            label="Negative prompt (optional)"
            value={negative}
            onChange={setNegative}
            error={showErrors ? errors.negativePrompt : undefined}
            placeholder="What to keep out: text, watermark, blur"
            max={NEGATIVE_PROMPT_MAX}
            rows={2}
            shortcutHint={false}
          />
        ) : null}
        <ProviderSelect
          config={config}
          operation="create"
          value={provider}
          onChange={changeProvider}
          needs={needs}
          problem={problem}
          note={note}
        />
        <SubmitBar
          label={count > 1 ? `Create ${count} images` : "Create image"}
          {...form.bar}
          count={count}
          blocked={problem !== undefined || prompt.length > config.limits.promptMax}
        />
      </form>
    </div>
  );
}
