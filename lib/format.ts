// Small display helpers shared by the studio pages.

export const formatCredits = (n: number) => `${n.toLocaleString("en")} credit${n === 1 ? "" : "s"}`;

/** "0.8 s", "12 s", "2 min 05 s": precise while short, calm while long. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, "0")} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** A date and time in `timeZone`, by default the one this code runs in. */
export const formatDateTime = (iso: string, timeZone?: string) =>
  new Date(iso).toLocaleString("en", { dateStyle: "medium", timeStyle: "short", timeZone });

/** Width over height of "16:9"; 1 for anything unreadable. */
export function ratioValue(ratio: string | null | undefined): number {
  const [w, h] = (ratio ?? "").split(":").map(Number);
  return w && h ? w / h : 1;
}
