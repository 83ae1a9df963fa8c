// disaster-snapshot-restore: the write-ups' migration by snapshot, as a disaster drill: `snapshot save` from a follower under load, later every member lost; `snapshot restore` into a new cluster, clients pointed at it; what survived and how long it took, measured.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const disasterSnapshotRestore: ScenarioSpec = {
  name: "disaster-snapshot-restore",
  summary: "snapshot save from a follower at 25%; at half time every member lost with its data, the snapshot restored into new members n4-n6 (new cluster), clients pointed at them",
  allowedNodes: [3],
  time: "30s",
  schedule: {
    steps: [
      { at: "25%", fault: "snapshot-save", target: "follower" },
      { at: "50%", fault: "disaster-snapshot-restore", target: "all" },
    ],
  },
  checkers: [...faultCheckers(availability()), { name: "recovery-point" }, { name: "recovery-time" }],
};
