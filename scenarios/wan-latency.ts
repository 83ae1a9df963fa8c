// wan-latency: members spread over three zones with different distances between them, as in a WAN deployment.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** One-way latency between zones A, B and C (B sits between A and C); members go round-robin over the zones. */
export const zoneDistances = { "A-B": 30, "B-C": 40, "A-C": 70 };

export const wanLatency: ScenarioSpec = {
  name: "wan-latency",
  summary: "a WAN: members in three zones, 30/40/70ms one way between them (±10%), for the whole run",
  allowedNodes: [3, 5, 7],
  schedule: { phases: [{ fault: "latency-matrix", target: "all", params: { zoneDistances } }] },
  checkers: faultCheckers(availability()),
};
