// steady: a healthy cluster and no faults, so any workload can run alone and be checked.
import { availability } from "./availability-thresholds.ts";
import { baseSettings, type Scenario } from "./scenario.ts";

export const steady: Scenario = {
  name: "steady",
  summary: "no faults: run any workload (--workload) on a healthy cluster and check its history",
  defaults: baseSettings,
  allowedNodes: [1, 3, 5, 7],
  schedule: () => [],
  checkers: [{ name: "split-brain" }, { name: "availability", options: availability() }, { name: "durability" }, { name: "convergence" }],
  expected: "valid",
};
