// `harness shrink <report-dir>`: find the smallest variant of a failing run that still fails, and the command that replays it.
import path from "node:path";
import { type Command, Option } from "commander";
import type { RunResults } from "../../record/results.ts";
import { usageError } from "../../harness/errors.ts";
import { ExitCode } from "../../harness/exit-codes.ts";
import { defaultRunsDir } from "../../harness/paths.ts";
import { storedRunToRerun } from "./stored-run.ts";
import { invalidCheckers } from "../../runner/shrink/same-failure.ts";
import { shrinkRun } from "../../runner/shrink/shrink-run.ts";
import { writeReportSafely } from "../../reports/report.ts";
import { duration } from "./options.ts";
import { progressLine } from "./report-run.ts";

export const defaultShrinkBudgetMs = 10 * 60_000;

export function addShrinkCommand(program: Command): void {
  program
    .command("shrink")
    .description("re-run smaller variants of a failing run (fewer faults, shorter windows, fewer clients and keys) and keep the smallest that still fails")
    .argument("<report-dir>", "the report folder of a run that ended invalid")
    .addOption(new Option("--budget <duration>", "how long shrinking may take").argParser(duration(10_000, 24 * 3_600_000)).default(defaultShrinkBudgetMs, "10m"))
    .option("--out <dir>", "parent folder of the shrink folder", defaultRunsDir)
    .option("--retarget", "resolve each fault's selector again in every attempt instead of hitting the members the run hit")
    .action(async (dir: string, options: { budget: number; out: string; retarget?: boolean }) => {
      const run = storedRunToRerun(dir);
      if (run.verdict !== "invalid") throw usageError(`${dir} ended ${run.verdict}; only a run that found a violation (invalid) can be shrunk`);
      process.exitCode = await shrinkAndReport(run, dir, options.budget, path.resolve(options.out), options.retarget === true);
    });
}

/** Shrinks and prints the outcome; exit 1 when a failing variant is known, 2 when the failure did not reproduce. */
export async function shrinkAndReport(run: RunResults, runDir: string, budgetMs: number, outDir: string, retarget = false): Promise<number> {
  const failure = invalidCheckers(run).join(", ");
  progressLine(`shrinking ${runDir} (invalid by ${failure}) for up to ${budgetMs / 1000}s; every attempt is a full run, and still fails when ${failure} finds it invalid`);
  const report = await shrinkRun({ run, runDir, budgetMs, outDir, say: progressLine, retarget, report: writeReportSafely });
  if (!report.reproduced || !report.minimal) {
    process.stderr.write(`shrink: the failure did not reproduce in ${report.attempts.length} attempt(s); nothing smaller to offer\n`);
    return ExitCode.unknown;
  }
  process.stderr.write(
    [
      `shrink: ${report.attempts.length} attempts${report.interrupted ? " (budget reached)" : ""}; smallest run that still fails: ${report.minimal.candidate}`,
      `shrink: replay it with: ${report.minimal.replay}`,
      `shrink: every attempt is listed in ${path.join(path.dirname(path.dirname(report.minimal.reportDir)), "shrink.json")}`,
    ].join("\n") + "\n",
  );
  return ExitCode.invalid;
}
