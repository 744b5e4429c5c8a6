"use client";

import { isTerminal, type GenerationStatus } from "@/lib/domain";
import { formatElapsed } from "@/lib/format";
import { useNow } from "@/hooks/use-now";

/**
 * The time a job has taken. While it runs, it keeps counting from the server's figure using the
 * moment that figure arrived, so a skewed clock in the browser does not matter.
 */
export function ElapsedTime({
  status,
  elapsedMs,
  measuredAt,
}: {
  status: GenerationStatus;
  elapsedMs: number;
  /** Browser time when `elapsedMs` was read; 0 when unknown. */
  measuredAt: number;
}) {
  const running = !isTerminal(status);
  const now = useNow(running);
  const shown = running && now && measuredAt ? elapsedMs + Math.max(0, now - measuredAt) : elapsedMs;
  return (
    <span className="tabular-nums" data-testid="elapsed">
      {formatElapsed(shown)}
    </span>
  );
}
