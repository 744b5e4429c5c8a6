"use client";

import { useSyncExternalStore } from "react";

import { formatDateTime } from "@/lib/format";

const never = () => () => undefined;

/**
 * A moment in the reader's own time zone. The server cannot know it, so the HTML carries the time
 * in UTC and the browser replaces it with its own right after hydration, without a mismatch.
 */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    never,
    () => formatDateTime(iso),
    () => `${formatDateTime(iso, "UTC")} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
