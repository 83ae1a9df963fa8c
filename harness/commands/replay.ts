// `harness replay <report-dir>`: run a stored run again with its scenario, settings, etcd release, seed and schedule.
import path from "node:path";
import type { Command } from "commander";
import { scenarioNamed } from "../../scenarios/registry.ts";
import { defaultRunsDir } from "../paths.ts";
import { runScenario } from "../run/run-scenario.ts";
import { readStoredResults } from "../run/stored-run.ts";
import { progressLine, reportRun } from "./report-run.ts";

export function addReplayCommand(program: Command): void {
  program
    .command("replay")
    .description("run a stored run again: same scenario, settings, etcd release, seed and fault schedule")
    .argument("<report-dir>", "a report folder holding results.json")
    .option("--out <dir>", "parent folder of the new report folder", defaultRunsDir)
    .option("--json", "print results.json on stdout and nothing else there")
    .action(async (dir: string, options: { out: string; json?: boolean }) => {
      const stored = readStoredResults(dir);
      const results = await runScenario({
        scenario: scenarioNamed(stored.scenario),
        settings: stored.settings,
        etcdVersion: stored.etcd,
        ...(stored.memberVersions ? { memberVersions: stored.memberVersions } : {}),
        seed: stored.seed,
        schedule: stored.schedule,
        outDir: path.resolve(options.out),
        say: progressLine,
      });
      process.exitCode = reportRun(results, options.json === true);
    });
}
