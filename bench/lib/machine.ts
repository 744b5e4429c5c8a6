import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  commit: string;
  /** True when the tree differs from the commit (figures then describe uncommitted code too). */
  dirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function machineInfo(): MachineInfo {
  let cpu = "unknown";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: the model stays unknown
  }
  return {
    cpu,
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    commit: git(["rev-parse", "HEAD"]) || "unknown",
    // The results file is what a run rewrites: a change to it alone changes no code measured.
    dirty: git(["status", "--porcelain", "--", ".", ":(exclude)bench/results"]) !== "",
  };
}
