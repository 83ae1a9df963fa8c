// auth-restart: authentication on while every member restarts in turn and one is replaced; each must keep granting the workload's user and refusing the rest.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/**
 * Snapshots every 100 entries, so once every member has restarted its raft log starts past the entries
 * that created the users and turned auth on: the replacement then learns the auth store from a
 * snapshot, not by replaying those entries (the path of etcd issue 14571, fixed in 3.5.6).
 */
export const authRestart: ScenarioSpec = {
  name: "auth-restart",
  summary: "auth on: restart every member in turn, then replace a follower, while the workload runs as a user limited to its keys; every member keeps granting it and refusing the rest",
  allowedNodes: [3, 5, 7],
  time: "40s",
  settings: { auth: "simple" },
  etcd: { flags: ["snapshot-count=100"] },
  schedule: {
    phases: [
      { fault: "rolling-restart", target: "all" },
      { fault: "member-replace", target: "follower" },
    ],
    warmup: "3s",
  },
  checkers: faultCheckers(availability()),
};

/** The same run as a regression: 3.5.5's replacement member, restored from a snapshot, refuses the workload's user. */
export const etcd14571: ScenarioSpec = {
  ...authRestart,
  name: "etcd-14571",
  summary: "regression of etcd issue 14571: auth on, every member restarted, then a follower replaced; 3.5.5's replacement, restored from a snapshot, refused the workload's user and skipped its writes",
  regression: { issue: 14571, bug: "a member restored from a snapshot does not reload its permission cache, so it refuses every user but root", buggy: "3.5.5", fixed: "3.5.6" },
};
