// A scenario is data: the cluster, the workload, the fault schedule, the checkers and the verdict expected.
import type { AvailabilityExpectations } from "../checkers/availability.ts";
import type { Verdict } from "../checkers/checker.ts";
import type { FaultStep } from "../harness/run/fault-schedule.ts";
import { defaultWorkloadSettings, type WorkloadSettings } from "../harness/workload/workload.ts";

export interface RunSettings extends WorkloadSettings {
  nodes: number;
  timeMs: number;
  workload: string;
}

export interface Scenario {
  name: string;
  /** One line for `harness list`. */
  summary: string;
  defaults: RunSettings;
  /** Member counts the scenario makes sense for. */
  allowedNodes: number[];
  /** Extra etcd flags for every member (for example a small --quota-backend-bytes). */
  etcdFlags?: string[];
  /** The faults of a run with these settings and seed; times are relative to the workload's start. */
  schedule(settings: RunSettings, seed: number): FaultStep[];
  /** Checkers of the cluster's behaviour under the faults (or a choice of them by schedule); the workload adds its own. */
  checkers: string[] | ((schedule: FaultStep[]) => string[]);
  /** Availability thresholds the `availability` checker holds the run to (README: Availability). */
  availability?: AvailabilityExpectations;
  expected: Verdict;
}

/** Settings every scenario starts from. */
export const baseSettings: RunSettings = { nodes: 3, timeMs: 20_000, workload: "register", ...defaultWorkloadSettings };
