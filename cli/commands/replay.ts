// `harness replay <report-dir>`: run a stored run again with its scenario, settings, etcd release, seed and schedule, on the members it hit.
import path from "node:path";
import type { Command } from "commander";
import { defaultRunsDir } from "../../harness/paths.ts";
import { writeReportSafely } from "../../reports/report.ts";
import { replayRun } from "../../runner/replay.ts";
import { progressLine, reportRun } from "./report-run.ts";
import { storedRunToRerun } from "./stored-run.ts";

export function addReplayCommand(program: Command): void {
  program
    .command("replay")
    .description("run a stored run again: same scenario, settings, etcd release, seed and fault schedule, each fault on the members it hit")
    .argument("<report-dir>", "a report folder holding results.json")
    .option("--retarget", "resolve each fault's selector (leader, follower, random, ...) again instead of hitting the members the run hit")
    .option("--out <dir>", "parent folder of the new report folder", defaultRunsDir)
    .option("--json", "print results.json on stdout and nothing else there")
    .action(async (dir: string, options: { out: string; json?: boolean; retarget?: boolean }) => {
      const stored = storedRunToRerun(dir);
      const results = await replayRun(stored, { outDir: path.resolve(options.out), say: progressLine, report: writeReportSafely, ...(options.retarget ? { retarget: true } : {}) });
      process.exitCode = reportRun(results, options.json === true);
    });
}
