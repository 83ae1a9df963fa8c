// How `run` and `replay` end: the human summary on stderr, results.json on stdout with --json, the exit code.
import { summaryText } from "../../reports/summary-text.ts";
import type { RunResults } from "../../record/results.ts";
import { ExitCode } from "../../harness/exit-codes.ts";

export function progressLine(line: string): void {
  process.stderr.write(`harness: ${line}\n`);
}

/** Prints what a person and a pipeline need from a finished run; returns the exit code. */
export function reportRun(results: RunResults, json: boolean): number {
  const exitCode = ExitCode[results.verdict];
  process.stderr.write(`${summaryText(results, exitCode)}\n`);
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return exitCode;
}
