// Regression scenario for etcd issue 13766: etcd 3.5.0-3.5.2 could skip an applied write after a crash under load.
//
// 3.5.0-3.5.2 set the consistent index in memory before applying an entry, and the backend's periodic
// commit (every 100 ms) persisted whatever index was in memory. A commit that fell between the two
// saved an index ahead of the data; a SIGKILL before the next commit left a member that, on restart,
// skipped that entry for good: its revision one behind its peers and its hash different (convergence),
// and reads through it missing an acknowledged write (linearizability, durability). 3.5.3 saves the
// index in the same transaction as the data. etcd's robustness suite pins it the same way: SIGKILL of a
// random member, over and over, under heavy put traffic, with --snapshot-count=100.
import type { ScenarioSpec } from "../record/scenario-spec.ts";
import { availability } from "./availability-thresholds.ts";
import { faultCheckers } from "./fault-checkers.ts";

export const etcd13766: ScenarioSpec = {
  name: "etcd-13766",
  summary: "regression of etcd issue 13766: SIGKILL a follower every 1.5s under heavy load; 3.5.0-3.5.2 lose a write on a restarted member, later releases must not",
  regression: { issue: 13766, bug: "a member killed under load skips an applied entry on restart", buggy: "3.5.2", fixed: "3.5.3" },
  allowedNodes: [3, 5],
  time: "120s",
  settings: { rate: 3000, concurrency: 32, keys: 50 },
  etcd: { flags: ["snapshot-count=100"] },
  // A kill, the restart 0.3 s later, and time for the member to rejoin before the next; followers only:
  // the leader stays, so the write load (and the chance of the race) stays high.
  schedule: { repeat: [{ fault: "kill", target: "follower", duration: "300ms" }], every: "1500ms", tail: "3s" },
  checkers: faultCheckers(availability()),
  // A regression scenario: valid on every release since the fix; invalid on 3.5.2 when the race is hit.
};
