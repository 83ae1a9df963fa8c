// The checker lists scenarios with faults share: every fault scenario's, and those whose faults isolate groups of members.
import type { AvailabilityExpectations } from "../checkers/availability.ts";
import type { CheckerSpec } from "../record/results.ts";

/** Checkers for every scenario with faults, availability held to the scenario's thresholds. */
export function faultCheckers(thresholds: AvailabilityExpectations): CheckerSpec[] {
  return [{ name: "split-brain" }, { name: "availability", options: thresholds }, { name: "durability" }, { name: "convergence" }, { name: "faults-took-effect" }];
}

/** Checkers for scenarios whose faults isolate groups of members. */
export function partitionCheckers(thresholds: AvailabilityExpectations): CheckerSpec[] {
  return [{ name: "minority-refuses" }, ...faultCheckers(thresholds)];
}
