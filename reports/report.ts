// Writes a run's report files (index.html, junit.xml, summary.md) beside results.json, at the end of a run or for a stored run folder.
import fs from "node:fs";
import path from "node:path";
import type { HistoryEntry } from "../record/history/entry.ts";
import type { RunResults } from "../record/results.ts";
import type { StatusSample } from "../record/status.ts";
import { readStoredHistory, readStoredResults, readStoredStatuses } from "../record/stored-run.ts";
import { listReportFiles } from "./html/files-html.ts";
import { preparePageData } from "./html/page-data.ts";
import { reportPageHtml } from "./html/report-page.ts";
import { junitXml } from "./junit.ts";
import { summaryMarkdown } from "./summary-md.ts";

export interface ReportInputs {
  history: readonly HistoryEntry[];
  statuses: readonly StatusSample[];
}

export interface WrittenReport {
  /** Absolute paths of the files written. */
  files: string[];
  elapsedMs: number;
}

export const reportFileNames = ["index.html", "junit.xml", "summary.md"] as const;

/** Writes junit.xml and summary.md first (cheap, and what CI reads), then index.html; each file appears whole or not at all. */
export function writeReport(runDir: string, results: RunResults, inputs: ReportInputs): WrittenReport {
  const started = performance.now();
  const page = preparePageData(results, inputs.history, inputs.statuses);
  const files = [
    writeWhole(runDir, "junit.xml", junitXml(results, page.operations)),
    writeWhole(runDir, "summary.md", summaryMarkdown(results)),
  ];
  files.push(writeWhole(runDir, "index.html", reportPageHtml(results, page, listReportFiles(runDir, [...reportFileNames]))));
  return { files, elapsedMs: performance.now() - started };
}

/**
 * The end of a run: a report that cannot be written costs the run nothing (results.json and
 * history.jsonl are already on disk, the exit code does not change); one line says why.
 */
export function writeReportSafely(runDir: string, results: RunResults, inputs: ReportInputs, say: (line: string) => void): WrittenReport | undefined {
  try {
    return writeReport(runDir, results, inputs);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    say(`report files not written (${why.split("\n")[0]}); results.json and history.jsonl are in ${results.reportDir}`);
    return undefined;
  }
}

/** The history and status samples a run left in its folder, validated by the record; a missing status.jsonl reads as no samples. */
export async function readReportInputs(runDir: string): Promise<ReportInputs> {
  return { history: (await readStoredHistory(runDir)).entries, statuses: readStoredStatuses(runDir) };
}

/** Rewrites the report of a stored run folder, from its results.json (validated) unless `results` (re-checked, say) is given. */
export async function writeReportFromDir(runDir: string, results?: RunResults): Promise<WrittenReport> {
  return writeReport(runDir, results ?? readStoredResults(runDir), await readReportInputs(runDir));
}

function writeWhole(runDir: string, name: string, content: string): string {
  const file = path.join(runDir, name);
  const partial = `${file}.partial`;
  try {
    fs.writeFileSync(partial, content);
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return file;
}
