// summary.md for a CI step summary: verdict first, a table of checkers, the faults, the replay command and links.
import { describe, expect, it } from "vitest";
import { summaryMarkdown } from "../../../reports/summary-md.ts";
import { syntheticRun } from "../../support/synthetic-run.ts";

describe("summaryMarkdown", () => {
  const { results } = syntheticRun(300);

  it("leads with the verdict and says what the scenario expected when they differ", () => {
    const markdown = summaryMarkdown(results);
    expect(markdown.split("\n")[0]).toBe("## ❌ partition-minority: invalid");
    expect(markdown).toContain("etcd 3.7.3 · 3 members");
    expect(markdown).toContain("**this scenario expects valid**");
  });

  it("has a row per checker and per fault, with took-effect", () => {
    const markdown = summaryMarkdown(results);
    expect(markdown).toContain("| checker | verdict | summary |");
    expect(markdown).toMatch(/\| linearizability \| ❌ invalid \| key r\d: read\(\) -> \d+/);
    expect(markdown).toContain("| faults-took-effect | ⚠️ unknown |");
    expect(markdown).toMatch(/\| partition \| n3 \| [\d.]+s–[\d.]+s \| ✅ yes: n3 lost its leader/);
    expect(markdown).toContain(`${results.faults.length} fault${results.faults.length === 1 ? "" : "s"}: ${2 * results.faults.length} transitions (each injected, then healed):`);
  });

  it("names a regression scenario's etcd issue, its buggy and fixed releases, and which one the run had", () => {
    const regression = { issue: 14370, bug: "a write lost", buggy: "3.5.4+failpoints", fixed: "3.5.5+failpoints" };
    const spec = { name: "etcd-14370", regression };
    expect(summaryMarkdown({ ...results, etcd: "3.5.4", scenarioSpec: spec })).toContain(
      "Regression: etcd issue 14370 (a write lost): buggy on 3.5.4+failpoints, fixed in 3.5.5+failpoints; this run's 3.5.4 has the bug.",
    );
    expect(summaryMarkdown({ ...results, etcd: "3.5.5", scenarioSpec: spec })).toContain("this run's 3.5.5 has the fix.");
    expect(summaryMarkdown({ ...results, etcd: "3.6.0", scenarioSpec: spec })).toContain("this run ran 3.6.0.");
    expect(summaryMarkdown(results)).not.toContain("Regression:");
  });

  it("gives the replay command and links to the report files", () => {
    const markdown = summaryMarkdown(results);
    expect(markdown).toContain("```sh\nnpx harness replay runs/synthetic\n```");
    expect(markdown).toContain("[index.html](index.html) · [results.json](results.json) · [junit.xml](junit.xml)");
  });

  it("keeps table cells on one line with pipes escaped", () => {
    const markdown = summaryMarkdown({
      ...results,
      checkers: { odd: { verdict: "unknown", summary: "a | b\nc", anomalies: [] } },
    });
    expect(markdown).toContain("| odd | ⚠️ unknown | a \\| b c |");
  });

  it("says so when the run did not finish", () => {
    expect(summaryMarkdown({ ...results, error: "the run did not finish" })).toContain("> **The run did not finish cleanly:** the run did not finish");
  });
});
