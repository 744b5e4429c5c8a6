import type { GenerationStatus } from "./domain";
import { ACTIVE_STATUSES, isTerminal } from "./domain";

// What a tab in the background says about jobs that finished while nobody looked: the count in
// its title, and (when the user asked for them) one browser notification per job.

const COUNT_PREFIX = /^\(\d+\) /;

/** The title with `count` in front ("(2) Create · Reve Studio"), or without any count at 0. */
export function titleWithCount(title: string, count: number): string {
  const bare = title.replace(COUNT_PREFIX, "");
  return count > 0 ? `(${count}) ${bare}` : bare;
}

/**
 * Whether a job seen as `before`, now `after`, has just finished. A job first seen already
 * finished (on page load, say) did not finish now.
 */
export function justFinished(before: GenerationStatus | undefined, after: GenerationStatus): boolean {
  return (
    before !== undefined &&
    (ACTIVE_STATUSES as readonly GenerationStatus[]).includes(before) &&
    isTerminal(after)
  );
}

/** What a notification says of a job: which one, and the prompt only when the user allowed it. */
export function notificationOf(
  job: {
    status: GenerationStatus;
    kind: string;
    prompt: string;
    aspectRatio: string | null;
    createdAt: string;
  },
  options: { showPrompt: boolean; locale?: string },
): { title: string; body: string } {
  const title = job.status === "succeeded" ? "Your image is ready" : "An image could not be made";
  const time = new Date(job.createdAt).toLocaleTimeString(options.locale, {
    hour: "2-digit",
    minute: "2-digit",
  });
  const what = `${job.kind.charAt(0).toUpperCase()}${job.kind.slice(1)}${job.aspectRatio ? `, ${job.aspectRatio}` : ""}, started at ${time}`;
  if (!options.showPrompt)
    return { title, body: job.status === "succeeded" ? what : `${what}. Nothing was charged.` };
  const prompt = job.prompt.length > 80 ? `${job.prompt.slice(0, 79)}…` : job.prompt;
  return { title, body: `${prompt}\n${what}` };
}

/** Keys of the settings this tab keeps in localStorage. */
export const NOTIFY_KEY = "reve:notify";
export const NOTIFY_PROMPT_KEY = "reve:notify-prompt";
