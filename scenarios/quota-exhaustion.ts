// quota-exhaustion: fill a small backend until NOSPACE while clients write and read; heal with the operator's runbook.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** Small enough to fill in a few seconds, large enough for a workload's own data to fit many times over. */
export const quotaBytes = 16 * 1024 * 1024;

export const quotaExhaustion: ScenarioSpec = {
  name: "quota-exhaustion",
  summary: "fill a 16 MiB backend to NOSPACE: puts refused, reads served; heal by compact, defragment, disarm; writes resume",
  allowedNodes: [1, 3, 5, 7],
  etcd: { flags: [`quota-backend-bytes=${quotaBytes}`] },
  // The fill takes a few seconds of the window; the alarm stays raised for the rest of it, and 5 s are
  // left after the heal for clients to show that writes resumed.
  schedule: { phases: [{ fault: "quota", target: "random" }], tail: "5s", minWindow: "6s" },
  checkers: [{ name: "quota-alarm" }, ...faultCheckers(availability())],
};
