import type { AspectRatio } from "./domain";
import type { StudioConfig } from "./dto";
import type { FileSettings } from "./file-settings";
import type { ProviderChoice } from "./provider-support";

/** The create form's starting values from a file's settings; a reseller this studio lacks becomes auto. */
export function createDefaultsFrom(
  settings: FileSettings,
  config: StudioConfig,
): {
  prompt: string;
  negativePrompt: string;
  aspectRatio: AspectRatio;
  seed: number | null;
  provider: ProviderChoice;
} {
  const offered = config.providers.some((p) => p.id === settings.provider && p.operations.create);
  return {
    prompt: settings.prompt,
    negativePrompt: settings.negativePrompt ?? "",
    aspectRatio: settings.aspectRatio ?? "1:1",
    seed: settings.seed,
    provider: offered && settings.provider ? settings.provider : "auto",
  };
}
