import { describe, expect, it } from "vitest";

import { mergeResults, readSections, type ResultSection } from "@/bench/lib/results-file";

const section = (name: string, figure: string): ResultSection => ({
  name,
  title: `Bench ${name}`,
  body: `Measured ${figure}.\n\n| a |\n| - |\n| ${figure} |`,
  summary: `${name}: ${figure}`,
});

describe("bench/results/latest.md, section by section", () => {
  const first = mergeResults(
    "",
    [section("alpha", "1"), section("beta", "2")],
    ["alpha", "beta"],
    "# Results",
  );

  it("rewrites only the sections of the benches that ran, and keeps the others' figures", () => {
    const next = mergeResults(first, [section("beta", "20")], ["alpha", "beta"], "# Results");
    const sections = readSections(next);
    expect(sections.get("alpha")).toBe(readSections(first).get("alpha"));
    expect(sections.get("beta")).toContain("| 20 |");
    expect(next).not.toContain("| 2 |");
  });

  it("rebuilds the summary from every section, in the runner's order, hand-added sections last", () => {
    const handAdded = `${first}\n<!-- bench:notes -->\n## Notes\n\nBy hand.\n\n**notes: by hand**\n<!-- /bench:notes -->\n`;
    const next = mergeResults(handAdded, [section("alpha", "10")], ["beta", "alpha"], "# Results");
    const summary = next.slice(next.indexOf("## Summary"), next.indexOf("<!-- bench:"));
    expect(summary.trim().split("\n").slice(1).filter(Boolean)).toEqual([
      "- beta: 2",
      "- alpha: 10",
      "- notes: by hand",
    ]);
    expect(next.indexOf("<!-- bench:beta -->")).toBeLessThan(next.indexOf("<!-- bench:alpha -->"));
    expect(next).toContain("By hand.");
  });

  it("refuses a file whose section is not closed rather than dropping what follows", () => {
    expect(() => readSections("<!-- bench:alpha -->\n## Alpha\n")).toThrow(/not closed/);
  });
});
