// The commands that run a stored run again, as every report file prints them.
import { formatDurationMs } from "../record/duration.ts";
import type { RunResults } from "../record/results.ts";

/** Replays the run exactly: scenario, settings, etcd release, seed and the recorded fault schedule. */
export function replayCommand(results: Pick<RunResults, "reportDir">): string {
  return `harness replay ${shellWord(results.reportDir)}`;
}

/** The same scenario with every setting spelled out, as a starting point for changing one. */
export function runCommand(results: Pick<RunResults, "scenario" | "etcd" | "seed" | "settings">): string {
  const { settings } = results;
  return [
    "harness run",
    shellWord(results.scenario),
    `--etcd ${shellWord(results.etcd)}`,
    `--seed ${results.seed}`,
    `--nodes ${settings.nodes}`,
    `--time ${formatDurationMs(settings.timeMs)}`,
    `--workload ${shellWord(settings.workload)}`,
    `--rate ${settings.rate}`,
    `--concurrency ${settings.concurrency}`,
    `--keys ${settings.keys}`,
    `--distribution ${settings.distribution}`,
    `--read-mode ${settings.readMode}`,
    `--cas-compare ${settings.casCompare}`,
    `--op-timeout ${formatDurationMs(settings.opTimeoutMs)}`,
  ].join(" ");
}

export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
