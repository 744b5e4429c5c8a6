import { useSyncExternalStore } from "react";

const noop = () => () => {};

/**
 * False in the server's HTML, true once React runs in the browser. A form that submits through
 * JavaScript keeps its button disabled until then, so an early click cannot post the page itself.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
