// The write-ups' recoveries from one member's data, under load: a majority lost and the survivor brought up with --force-new-cluster on a new machine; or a running member's data directory copied, every member lost, and the copy brought up the same way; then grown back one member at a time.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

const recoveryCheckers = [...faultCheckers(availability()), { name: "recovery-point" }, { name: "recovery-time" }];

export const disasterForceNewCluster: ScenarioSpec = {
  name: "disaster-force-new-cluster",
  summary: "at half time a majority lost with its data; the survivor stopped, its data carried to a new machine n4 and started with --force-new-cluster, its peer URL updated, restarted plainly, n5 and n6 added one at a time; clients pointed at them",
  allowedNodes: [3],
  time: "30s",
  schedule: { steps: [{ at: "50%", fault: "disaster-force-new-cluster", target: "majority" }] },
  checkers: recoveryCheckers,
};

export const disasterCopyDataDir: ScenarioSpec = {
  name: "disaster-copy-data-dir",
  summary: "at half time a follower's data directory copied while it runs, then every member lost; the copy started on a new machine n4 with --force-new-cluster, its peer URL updated, restarted plainly, n5 and n6 added one at a time; clients pointed at them",
  allowedNodes: [3],
  time: "30s",
  schedule: { steps: [{ at: "50%", fault: "disaster-copy-data-dir", target: "follower" }] },
  checkers: recoveryCheckers,
};
