"use client";

import { BellRing } from "lucide-react";

import { useDoneWhileAway } from "@/hooks/use-done-while-away";

/**
 * Counts jobs that finish while the tab is hidden in its title, and, after the first submit only,
 * offers a browser notification for them; once on, whether notifications may show the prompt.
 */
export function DoneWhileAway() {
  const away = useDoneWhileAway();
  const showPrompt = (
    <label className="text-muted flex items-center gap-2 text-xs">
      <input
        type="checkbox"
        checked={away.showPrompt}
        onChange={(event) => away.setShowPrompt(event.target.checked)}
        className="accent-accent size-4"
      />
      Show the prompt in notifications
    </label>
  );
  if (away.offer) {
    return (
      <section
        aria-label="Browser notifications"
        data-testid="notify-offer"
        className="border-border bg-surface flex flex-col gap-2 rounded-xl border px-3 py-2 text-sm"
      >
        <p className="flex items-center gap-2">
          <BellRing className="text-accent size-4 shrink-0" aria-hidden />
          Get a browser notification when an image is ready while this tab is in the background?
        </p>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <button
            type="button"
            onClick={() => void away.enable()}
            className="text-accent font-medium underline-offset-4 hover:underline"
          >
            Notify me
          </button>
          <button
            type="button"
            onClick={away.decline}
            className="text-muted underline-offset-4 hover:underline"
          >
            No thanks
          </button>
          {showPrompt}
        </div>
      </section>
    );
  }
  return away.enabled ? <div data-testid="notify-settings">{showPrompt}</div> : null;
}
