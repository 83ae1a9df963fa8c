// Failpoint scenarios: etcd crashed at exact points of its write path and restarted on its data, or slowed there (a +failpoints build).
import { etcdVersions } from "../harness/images/catalog.ts";
import { failpointsVariant } from "../harness/images/etcd-releases.ts";
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

/** The failpoints build of the default release; `--etcd <release>+failpoints` picks another. */
const failpointsRelease = `${etcdVersions[0]}${failpointsVariant}`;

export const failpointCrash: ScenarioSpec = {
  name: "failpoint-crash",
  summary: "a seeded series of crash points (gofail panics in raft, the WAL, the backend, compaction, defragmentation) on the members that reach them, each restarted on its data",
  nodes: 3,
  allowedNodes: [1, 3, 5],
  time: "40s",
  etcd: { release: failpointsRelease },
  schedule: { random: { faults: ["failpoint-crash"], minSteps: 4 } },
  // Each member restarts on its own data: what it answers after must never be at a lower revision than before.
  checkers: [...faultCheckers(availability()), "revision-monotonic"],
};

export const failpointSleep: ScenarioSpec = {
  name: "failpoint-sleep",
  summary: "the leader sleeps 200ms before each raft save, then a follower 100ms after each; the cluster keeps serving",
  nodes: 3,
  allowedNodes: [3, 5],
  etcd: { release: failpointsRelease },
  schedule: {
    phases: [
      { fault: "failpoint-sleep", target: "leader", params: { failpoint: "raftBeforeSave", ms: 200 } },
      { fault: "failpoint-sleep", target: "follower", params: { failpoint: "raftAfterSave", ms: 100 } },
    ],
  },
  checkers: faultCheckers(availability(["failpoint-sleep"])),
};
