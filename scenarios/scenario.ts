// A scenario is data: the cluster, the workload, the fault schedule, the checkers and the verdict expected.
import type { Verdict } from "../checkers/checker.ts";
import type { FaultStep } from "../harness/run/fault-schedule.ts";
import type { ReadMode } from "../harness/workload/register-workload.ts";

export interface RunSettings {
  nodes: number;
  timeMs: number;
  rate: number;
  concurrency: number;
  readMode: ReadMode;
  keys: number;
  opTimeoutMs: number;
}

export interface Scenario {
  name: string;
  /** One line for `harness list`. */
  summary: string;
  defaults: RunSettings;
  /** Member counts the scenario makes sense for. */
  allowedNodes: number[];
  /** The faults of a run with these settings; times are relative to the workload's start. */
  schedule(settings: RunSettings): FaultStep[];
  checkers: string[];
  expected: Verdict;
}
