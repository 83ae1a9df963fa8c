// A scenario, runnable: made from its spec (record/scenario-spec.ts) by scenario-of.ts, built in or read from a user's file.
import type { Verdict } from "../record/check-result.ts";
import type { FaultStep } from "../record/fault.ts";
import type { CheckerSpec } from "../record/results.ts";
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { defaultWorkloadSettings, type RunSettings } from "../record/settings.ts";

export type { RunSettings };

/** Settings a scenario starts from when it sets none: 3 members, 20 s of the register workload. */
export const baseSettings: RunSettings = { nodes: 3, timeMs: 20_000, workload: "register", ...defaultWorkloadSettings };

export interface Scenario {
  name: string;
  /** One line for `harness list`. */
  summary: string;
  /** The data it was made from: `harness show` prints it, a run from a file records it. */
  spec: ScenarioSpec;
  defaults: RunSettings;
  /** Member counts the scenario makes sense for. */
  allowedNodes: number[];
  /** Extra etcd flags for every member, as etcd takes them (for example --quota-backend-bytes=16777216). */
  etcdFlags?: string[];
  /** The etcd the scenario names, when the command line names none: a release, members on others, flags per member. */
  etcd?: { release?: string; members?: Record<string, string>; memberFlags?: Record<string, string[]>; corruptionChecks?: boolean };
  /** The faults of a run with these settings and seed; times are relative to the workload's start. */
  schedule(settings: RunSettings, seed: number): FaultStep[];
  /** Checkers of the cluster's behaviour under the faults of the schedule; the workload adds its own. */
  checkers(schedule: FaultStep[]): CheckerSpec[];
  expected: Verdict;
}
