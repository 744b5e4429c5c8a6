import type { ZodError } from "zod";

/** The first message per field of a zod error, for inline display. */
export function fieldErrors(error: ZodError | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const issue of error?.issues ?? []) {
    const field = String(issue.path[0] ?? "");
    if (field && !out[field]) out[field] = issue.message;
  }
  return out;
}

/** Ctrl+Enter or Cmd+Enter anywhere in a form submits it, as in every chat and editor. */
export function submitOnShortcut(event: React.KeyboardEvent<HTMLFormElement>) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.nativeEvent.isComposing) {
    event.preventDefault();
    event.currentTarget.requestSubmit();
  }
}
