// results.json: the verdict of a run, each checker's evidence, the faults, and what is needed to replay it.
import fs from "node:fs";
import path from "node:path";
import type { CheckResult, ConvergenceProbe, FinalReadsProbe, Verdict } from "../checkers/checker.ts";
import type { FaultRecord, FaultStep } from "../harness/run/fault-schedule.ts";
import type { RunSettings } from "../scenarios/scenario.ts";

export interface RunResults {
  scenario: string;
  verdict: Verdict;
  expected: Verdict;
  seed: number;
  etcd: string;
  /** Members that ran another release (a mixed-version cluster). */
  memberVersions?: Record<string, string>;
  settings: RunSettings;
  startedAt: string;
  checkers: Record<string, CheckResult>;
  schedule: FaultStep[];
  faults: FaultRecord[];
  /** Cluster members at the end of the run (membership faults may change them). */
  members: string[];
  /** What the harness measured after the faults, for checkers re-run by `harness analyze`. */
  probes: { convergence?: ConvergenceProbe; finalReads?: FinalReadsProbe };
  stats: RunStats;
  reportDir: string;
  /** Set when the run could not finish; the verdict is then unknown. */
  error?: string;
  /** When `harness analyze` last re-ran the checkers on the stored run. */
  analyzedAt?: string;
}

export interface RunStats {
  operations: { ok: number; fail: number; info: number };
  operationsByNode: Record<string, { ok: number; fail: number; info: number }>;
  clientProcesses: number;
  workloadSeconds: number;
  wallSeconds: number;
  clusterStartupMs: Record<string, number>;
}

export function writeResults(runDir: string, results: RunResults): string {
  const file = path.join(runDir, "results.json");
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
