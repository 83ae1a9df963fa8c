// A scenario is data: the cluster, the workload, the fault schedule, the checkers with their options, and the verdict expected.
import type { Verdict } from "../record/check-result.ts";
import type { FaultStep } from "../record/fault.ts";
import type { CheckerSpec } from "../record/results.ts";
import { defaultWorkloadSettings, type RunSettings } from "../record/settings.ts";

export type { RunSettings };

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
  checkers: CheckerSpec[] | ((schedule: FaultStep[]) => CheckerSpec[]);
  expected: Verdict;
}

/** Settings every scenario starts from. */
export const baseSettings: RunSettings = { nodes: 3, timeMs: 20_000, workload: "register", ...defaultWorkloadSettings };
