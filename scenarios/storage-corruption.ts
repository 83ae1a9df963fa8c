// storage-corruption: a follower's WAL, raft snapshot and database damaged while it is stopped (Jepsen's bitflip and truncate), with etcd's corruption checks on.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const storageCorruption: ScenarioSpec = {
  name: "storage-corruption",
  summary: "stop a follower, flip bits in its WAL, then its raft snapshot, then its database, then cut its WAL's tail; start it each time and record what etcd did",
  nodes: 3,
  allowedNodes: [3, 5],
  time: "60s",
  etcd: {
    // A raft snapshot every 1000 entries, so there is a snap file to damage.
    flags: ["snapshot-count=1000"],
    corruptionChecks: true,
  },
  schedule: {
    phases: [
      { fault: "bitflip", target: "follower", params: { file: "wal" } },
      { fault: "bitflip", target: "follower", params: { file: "snap" } },
      { fault: "bitflip", target: "follower", params: { file: "db" } },
      { fault: "wal-truncate", target: "follower", params: { bytes: 512 } },
    ],
  },
  checkers: [{ name: "corruption" }, ...faultCheckers(availability(["bitflip", "wal-truncate"]))],
};
