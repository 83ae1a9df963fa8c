// steady: a healthy cluster and no faults, so any workload can run alone and be checked.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";

export const steady: ScenarioSpec = {
  name: "steady",
  summary: "no faults: run any workload (--workload) on a healthy cluster and check its history",
  allowedNodes: [1, 3, 5, 7],
  checkers: [{ name: "split-brain" }, { name: "availability", options: availability() }, { name: "durability" }, { name: "convergence" }],
};
