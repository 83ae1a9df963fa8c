// `harness analyze <report-dir>`: re-run the checkers on a stored run, with nothing re-run against etcd, and rewrite its results.
import path from "node:path";
import type { Command } from "commander";
import { writeReportSafely } from "../../reports/report.ts";
import { writeResults } from "../../reports/results.ts";
import { readHistoryFile } from "../history/history-file.ts";
import { checkRun } from "../run/check-run.ts";
import { readStatusFile } from "../run/status-sampler.ts";
import { readStoredResults } from "../run/stored-run.ts";
import { progressLine, reportRun } from "./report-run.ts";

export function addAnalyzeCommand(program: Command): void {
  program
    .command("analyze")
    .description("re-run the checkers on a stored run (history, status samples, faults) and rewrite its results.json and report")
    .argument("<report-dir>", "a report folder holding results.json and history.jsonl")
    .option("--json", "print results.json on stdout and nothing else there")
    .action(async (dir: string, options: { json?: boolean }) => {
      const results = readStoredResults(dir);
      const history = (await readHistoryFile(path.join(dir, "history.jsonl"), "jsonl")).entries;
      const statuses = readStatusFile(path.join(dir, "status.jsonl"));
      checkRun(results, history, statuses);
      results.analyzedAt = new Date().toISOString();
      writeResults(dir, results);
      writeReportSafely(dir, results, { history, statuses }, progressLine);
      process.exitCode = reportRun(results, options.json === true);
    });
}
