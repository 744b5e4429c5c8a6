import { rm } from "node:fs/promises";

// Each Vitest run keeps its media under data/vitest-<pid of the main process> (vitest.config.ts,
// evaluated in this same process); remove it at the end.
export default function setup() {
  return async () => {
    await rm(`data/vitest-${process.pid}`, { recursive: true, force: true });
  };
}
