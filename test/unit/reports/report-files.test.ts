// The report folder: every file written, a stored folder re-reported, a failure costing the run nothing, the page self-contained.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientScript } from "../../../reports/html/client-script.ts";
import { readStatusFile } from "../../../record/status.ts";
import { writeReport, writeReportFromDir, writeReportSafely } from "../../../reports/report.ts";
import { writeResults } from "../../../record/results.ts";
import { syntheticRun } from "../../support/synthetic-run.ts";

function storedRun(operations: number): { dir: string; run: ReturnType<typeof syntheticRun> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-test-"));
  const run = syntheticRun(operations, 3, dir);
  writeResults(dir, run.results);
  fs.writeFileSync(path.join(dir, "history.jsonl"), run.history.map((entry) => JSON.stringify(entry)).join("\n"));
  fs.writeFileSync(path.join(dir, "status.jsonl"), run.statuses.map((sample) => JSON.stringify(sample)).join("\n"));
  fs.mkdirSync(path.join(dir, "nodes"));
  fs.writeFileSync(path.join(dir, "nodes", "n1.log"), "etcd says hello\n");
  return { dir, run };
}

describe("writeReport", () => {
  it("writes index.html, junit.xml and summary.md beside results.json", () => {
    const { dir, run } = storedRun(500);
    const written = writeReport(dir, run.results, { history: run.history, statuses: run.statuses });
    expect(written.files.map((file) => path.basename(file))).toEqual(["junit.xml", "summary.md", "index.html"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["history.jsonl", "index.html", "junit.xml", "nodes", "results.json", "status.jsonl", "summary.md"]);
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).toContain('data-testid="verdict">INVALID<');
    expect(html).toContain('href="nodes/n1.log"');
    expect(html).toContain(`harness replay ${dir}`);
  });

  it("makes a page that asks the network for nothing", () => {
    const { dir, run } = storedRun(200);
    writeReport(dir, run.results, { history: run.history, statuses: run.statuses });
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it("writes a page for a run that recorded nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-test-"));
    const { results } = syntheticRun(10, 1, dir);
    const empty = { ...results, verdict: "unknown" as const, checkers: {}, faults: [], error: "the run did not finish" };
    writeReport(dir, empty, { history: [], statuses: [] });
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).toContain("No checker ran.");
    expect(html).toContain("The run did not finish cleanly: the run did not finish");
    expect(html).toContain("No anomaly to jump to");
  });

  it("rewrites the report of a stored folder from its files", async () => {
    const { dir } = storedRun(300);
    const written = await writeReportFromDir(dir);
    expect(written.files).toHaveLength(3);
    expect(fs.readFileSync(path.join(dir, "summary.md"), "utf8")).toMatch(/^## ❌ partition-minority: invalid/);
  });
});

describe("writeReportSafely", () => {
  it("says in one line that the report was not written, and throws nothing", () => {
    const { run } = storedRun(50);
    const lines: string[] = [];
    const missing = path.join(os.tmpdir(), "no-such-report-folder", "run");
    expect(writeReportSafely(missing, run.results, { history: run.history, statuses: run.statuses }, (line) => lines.push(line))).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^report files not written \(ENOENT[^\n]*\); results\.json and history\.jsonl are in /);
  });
});

describe("readStatusFile", () => {
  it("skips a last line cut short and reads a missing file as no samples", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "status-test-"));
    const file = path.join(dir, "status.jsonl");
    fs.writeFileSync(file, '{"time":1,"member":"n1","leader":"n1","term":2}\n{"time":2,"mem');
    expect(readStatusFile(file)).toEqual([{ time: 1, member: "n1", leader: "n1", term: 2 }]);
    expect(readStatusFile(path.join(dir, "none.jsonl"))).toEqual([]);
  });
});

describe("clientScript", () => {
  it("is one script that parses, with every browser declaration and no module syntax", () => {
    const script = clientScript();
    expect(() => new Function(script)).not.toThrow();
    for (const name of ["reportMain", "TimelineView", "OverviewBrush", "createCharts", "decodeOperations", "layoutRows"]) {
      expect(script).toMatch(new RegExp(`(function|class) ${name}\\b`));
    }
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script).not.toContain("</script");
  });
});
