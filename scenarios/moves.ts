// The write-ups' moves under load: one member carried to a new machine (member update of its peer URL), and the whole cluster migrated to new machines one member at a time.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const memberMove: ScenarioSpec = {
  name: "member-move",
  summary: "at 30% a follower stopped, its data directory carried to a new machine n4, its peer URL updated (member update), started there; its clients' address pointed at n4",
  allowedNodes: [3, 5],
  time: "30s",
  schedule: { steps: [{ at: "30%", fault: "member-move", target: "follower" }] },
  checkers: faultCheckers(availability()),
};

export const clusterMigrate: ScenarioSpec = {
  name: "cluster-migrate",
  summary: "from 3 s every member replaced by a new one, one at a time (learner, promote, move-leader off the old leader, remove); ends on n4-n6, none of the original machines",
  allowedNodes: [3],
  time: "40s",
  schedule: { steps: [{ at: "3s", fault: "cluster-migrate", target: "all" }] },
  checkers: faultCheckers(availability()),
};
