// What every bench returns: its table and one summary line, which the runner prints and writes to
// bench/results/latest.md.

export interface BenchResult {
  title: string;
  /** How it was measured, in a sentence or two, for the results file. */
  method: string;
  table: string;
  /** One line; says MISSED for every target not met. */
  summary: string;
  targetsMet: boolean;
}

export interface Bench {
  name: string;
  run(): Promise<BenchResult>;
}

/** Runs `work` for every item with at most `limit` at once. */
export async function forEachLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
