import { useSyncExternalStore } from "react";

// One shared clock for every ticking elapsed time on the page: a single interval, only while some
// component is watching, and none during the server render.

const TICK_MS = 250;
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
      now = 0;
    }
  };
}

const noop = () => () => {};

/** The current time, refreshed four times a second while `active`; 0 on the server. */
export function useNow(active: boolean): number {
  return useSyncExternalStore(
    active ? subscribe : noop,
    () => {
      if (!active) return 0;
      if (!now) now = Date.now();
      return now;
    },
    () => 0,
  );
}
