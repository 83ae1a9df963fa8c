// `harness analyze <report-dir>`: re-run the checkers of a stored run's plan, with nothing re-run against etcd, and rewrite its results.
import path from "node:path";
import type { Command } from "commander";
import { writeResults } from "../../record/results.ts";
import { readStoredHistory, readStoredResults, readStoredStatuses } from "../../record/stored-run.ts";
import { writeReportSafely } from "../../reports/report.ts";
import { checkRun } from "../../runner/check-run.ts";
import { checkersOf } from "../../runner/plan.ts";
import { progressLine, reportRun } from "./report-run.ts";

export function addAnalyzeCommand(program: Command): void {
  program
    .command("analyze")
    .description("re-run the checkers on a stored run (history, status samples, faults) and rewrite its results.json and report")
    .argument("<report-dir>", "a report folder holding results.json and history.jsonl")
    .option("--json", "print results.json on stdout and nothing else there")
    .action(async (dir: string, options: { json?: boolean }) => {
      const results = readStoredResults(dir);
      // The folder may have moved since the run (copied, downloaded from CI): name it where it is now.
      results.reportDir = path.relative(process.cwd(), dir) || ".";
      const checkers = checkersOf(results.plan, `${dir}/results.json plan`);
      const history = await readStoredHistory(dir);
      if (history.warning) progressLine(history.warning);
      const statuses = readStoredStatuses(dir);
      checkRun(results, checkers, history.entries, statuses);
      results.analyzedAt = new Date().toISOString();
      writeResults(dir, results);
      writeReportSafely(dir, results, { history: history.entries, statuses }, progressLine);
      process.exitCode = reportRun(results, options.json === true);
    });
}
