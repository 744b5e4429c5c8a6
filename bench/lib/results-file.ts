// bench/results/latest.md, one section per bench. A run rewrites the sections of the benches it
// ran and keeps every other section as it was, so `npm run bench -- <name>` never throws away
// figures measured earlier. The summary at the top is rebuilt from each section's bold line.

/** One bench's section: its title, body (method, table, notes) and one-line summary. */
export interface ResultSection {
  name: string;
  title: string;
  /** Everything between the heading and the summary line. */
  body: string;
  summary: string;
}

const OPEN = /^<!-- bench:([\w-]+) -->$/;
const close = (name: string) => `<!-- /bench:${name} -->`;

/** The sections of a results file, by bench name, in file order. */
export function readSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const name = OPEN.exec(lines[i]!)?.[1];
    if (!name) continue;
    const end = lines.indexOf(close(name), i + 1);
    if (end < 0) throw new Error(`bench/results/latest.md: section "${name}" is not closed`);
    sections.set(name, lines.slice(i, end + 1).join("\n"));
    i = end;
  }
  return sections;
}

export function renderSection(section: ResultSection): string {
  return [
    `<!-- bench:${section.name} -->`,
    `## ${section.title}`,
    "",
    section.body.trim(),
    "",
    `**${section.summary}**`,
    close(section.name),
  ].join("\n");
}

/** The last bold line of a section: its summary. */
function summaryOf(section: string): string | undefined {
  const bold = section.split("\n").filter((line) => /^\*\*.+\*\*$/.test(line));
  return bold.at(-1)?.slice(2, -2);
}

/**
 * The new file: `header`, a summary of every section, then the sections in `order` (benches the
 * runner knows), followed by any other section the old file held. Sections in `fresh` replace
 * the old ones of the same name.
 */
export function mergeResults(
  previous: string,
  fresh: ResultSection[],
  order: string[],
  header: string,
): string {
  const sections = readSections(previous);
  for (const section of fresh) sections.set(section.name, renderSection(section));
  const names = [
    ...order.filter((name) => sections.has(name)),
    ...[...sections.keys()].filter((name) => !order.includes(name)),
  ];
  const summary = names.map((name) => `- ${summaryOf(sections.get(name)!) ?? `${name}: no summary line`}`);
  return [
    header.trim(),
    "",
    "## Summary",
    "",
    ...summary,
    ...names.flatMap((name) => ["", sections.get(name)!]),
    "",
  ].join("\n");
}
