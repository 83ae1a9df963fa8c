// npm run bench:report: report generation time and page size for a generated run (100k operations by default,
// BENCH_OPERATIONS to change), and the time to first render of its index.html in headless Chromium.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeReport, writeReportFromDir } from "../reports/report.ts";
import { writeResults } from "../record/results.ts";
import type { Page } from "playwright-core";
import { openReportPage } from "../test/support/report-browser.ts";
import { syntheticRun } from "../test/support/synthetic-run.ts";

const sizes = (process.env["BENCH_OPERATIONS"] ?? "10000,100000").split(",").map(Number);
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

const rows: string[][] = [];
for (const operations of sizes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-report-${operations}-`));
  const run = syntheticRun(operations, 7, dir);
  writeResults(dir, run.results);
  fs.writeFileSync(path.join(dir, "history.jsonl"), `${run.history.map((entry) => JSON.stringify(entry)).join("\n")}\n`);
  fs.writeFileSync(path.join(dir, "status.jsonl"), `${run.statuses.map((sample) => JSON.stringify(sample)).join("\n")}\n`);

  // At the end of a run the history is already in memory; `harness analyze` reads it from the folder.
  const inMemory: number[] = [];
  const fromDir: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    writeReport(dir, run.results, { history: run.history, statuses: run.statuses });
    inMemory.push(performance.now() - started);
    started = performance.now();
    await writeReportFromDir(dir);
    fromDir.push(performance.now() - started);
  }
  const page = path.join(dir, "index.html");
  const renders: number[] = [];
  const loads: number[] = [];
  const frames: Array<[number, number]> = [];
  for (let round = 0; round < rounds; round++) {
    await using browser = await openReportPage(page);
    renders.push(browser.firstRenderMs);
    loads.push(browser.loadMs);
    frames.push(...(await redrawTimes(browser.page)));
  }
  const history = fs.statSync(path.join(dir, "history.jsonl")).size;
  rows.push([
    String(operations),
    `${median(inMemory).toFixed(0)} ms`,
    `${median(fromDir).toFixed(0)} ms`,
    mib(fs.statSync(page).size),
    mib(history),
    `${median(renders).toFixed(0)} ms`,
    `${median(loads).toFixed(0)} ms`,
    `${median(frames.map((frame) => frame[0])).toFixed(1)} ms`,
    `${median(frames.map((frame) => frame[1])).toFixed(1)} ms`,
  ]);
  console.log(`${operations} operations: report in ${dir}`);
}

const header = [
  "operations",
  "generate (in memory)",
  "generate (from folder)",
  "index.html",
  "history.jsonl",
  "first render",
  "goto to rendered",
  "redraw, whole run",
  "redraw, 1% of it",
];
console.log(`\nmedian of ${rounds} rounds; first render is performance.now() in the page when its first frame was painted; a redraw is one timeline frame after a pan`);
console.log(`| ${header.join(" | ")} |\n| ${header.map(() => "---").join(" | ")} |`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);

/** Timeline frame times after panning, [whole run shown, 1% of it shown], five pans each. */
async function redrawTimes(page: Page): Promise<Array<[number, number]>> {
  return page.evaluate(async () => {
    const handle = (window as unknown as { harnessReport: { window(): [number, number]; setWindow(from: number, to: number): void; frame(): { ms: number } } })
      .harnessReport;
    const [from, to] = handle.window();
    const frame = async (start: number, span: number): Promise<number> => {
      handle.setWindow(start, start + span);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return handle.frame().ms;
    };
    const times: Array<[number, number]> = [];
    for (let pan = 0; pan < 5; pan++) {
      const whole = await frame(from + pan * 1e-3, to - from);
      const narrow = await frame(from + (to - from) * (0.3 + pan * 0.01), (to - from) / 100);
      times.push([whole, narrow]);
    }
    return times;
  });
}
