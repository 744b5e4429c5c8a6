// When `.next` must be built again: there is no build yet, or a source file is newer than it.
// `npm start`, the benches and the scale test share this rule, so each reuses the others' build.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = [
  "app",
  "components",
  "hooks",
  "lib",
  "server",
  "public",
  "next.config.ts",
  "package.json",
  "proxy.ts",
  "instrumentation.ts",
];
const SKIP = new Set(["generated", "node_modules"]);

export function needsBuild(root = process.cwd()): boolean {
  const buildId = join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newer = (path: string): boolean => {
    if (!existsSync(path)) return false;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(path).some((name) => !SKIP.has(name) && newer(join(path, name)));
  };
  return SOURCES.some((source) => newer(join(root, source)));
}
